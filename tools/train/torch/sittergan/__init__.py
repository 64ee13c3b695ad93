"""Sitter's PyTorch GAN trainer: the generator family the page already runs, trained fast, exported to TF.js layers."""

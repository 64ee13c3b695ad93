// The dicebear styles used for the default model. Only CC0 1.0 styles are
// allowed; licenceCheck() reads each style's own `meta.license` so a future
// package update that changes a licence stops training instead of slipping by.
import * as collection from '@dicebear/collection';
import type { Style } from '@dicebear/core';

export interface StyleInfo {
  name: string;
  style: Style<Record<string, unknown>>;
  title: string;
  creator: string;
  licence: string;
  licenceUrl: string;
  source: string;
}

export const DEFAULT_STYLES = ['lorelei', 'notionists', 'openPeeps'] as const;

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function loadStyle(name: string): StyleInfo {
  const style: unknown = (collection as Record<string, unknown>)[name];
  if (typeof style !== 'object' || style === null || typeof field(style, 'create') !== 'function') {
    throw new Error(`unknown dicebear style "${name}"`);
  }
  const meta = field(style, 'meta');
  const licence = field(meta, 'license');
  return {
    name,
    style: style as Style<Record<string, unknown>>,
    title: str(field(meta, 'title')) || name,
    creator: str(field(meta, 'creator')),
    licence: str(field(licence, 'name')),
    licenceUrl: str(field(licence, 'url')),
    source: str(field(meta, 'source')),
  };
}

/** Throws unless every style is CC0 1.0 according to its package metadata. */
export function licenceCheck(styles: StyleInfo[]): void {
  for (const s of styles) {
    if (s.licence !== 'CC0 1.0') {
      throw new Error(`dicebear style ${s.name} is licensed "${s.licence}", not CC0 1.0; refusing to train on it`);
    }
  }
}

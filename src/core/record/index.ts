/** Record and replay of a show's inputs (bus writes, tempo events, frame times) as JSON lines. */
export * from './recording.ts';

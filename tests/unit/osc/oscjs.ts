import OSC from 'osc-js';

/**
 * osc-js's own dispatch, reached the way its plugins reach it (registerNotify), so tests and the benchmark can
 * compare its matcher with ours on the same bytes without a socket.
 */
export function oscJsDispatcher(): { osc: OSC; dispatch(bytes: Uint8Array): void } {
  let notify: ((...args: unknown[]) => unknown) | null = null;
  const plugin = {
    registerNotify(fn: (...args: unknown[]) => unknown): void {
      notify = fn;
    },
    status: (): number => 1,
    open(): void {},
    close(): void {},
    send(): void {},
  };
  const osc = new OSC({ plugin });
  return {
    osc,
    dispatch(bytes: Uint8Array): void {
      notify?.(bytes);
    },
  };
}

/** Encodes one message with explicit type tags (osc-js's Message infers 1.0 as an int). */
export type Tag = 'i' | 'f' | 's' | 'b' | 'h' | 't' | 'd' | 'T' | 'F' | 'N' | 'I';

export function typed(address: string, ...args: [Tag, unknown][]): Uint8Array {
  const m = new OSC.TypedMessage(address, []);
  for (const [t, v] of args) m.add(t, v as never);
  return m.pack();
}

/** Decodes bytes the way the page does. */
export function decode(bytes: Uint8Array): unknown {
  const p = new OSC.Packet();
  p.unpack(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return p.value;
}

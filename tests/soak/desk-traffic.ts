import { createSocket, type Socket } from 'node:dgram';
import OSC from 'osc-js';

/**
 * A desk that behaves like a real one, plus one that misbehaves: faders moving in the normalised form, parameters
 * in their own units, a cue now and then, and malformed packets mixed in (garbage bytes, NaN, unknown addresses,
 * an oversize packet). Bounded: it stops by itself after `seconds`.
 */
export class DeskTraffic {
  private readonly sock: Socket = createSocket('udp4');
  private timer: ReturnType<typeof setInterval> | null = null;
  private tick = 0;
  private paused = false;
  sent = 0;
  malformed = 0;

  constructor(
    private readonly port: number,
    private readonly perSecond = 40,
  ) {}

  start(seconds: number): void {
    const stopAt = Date.now() + seconds * 1000;
    this.timer = setInterval(() => {
      if (Date.now() > stopAt) return this.stop();
      if (this.paused) return;
      for (let i = 0; i < this.perSecond / 10; i++) this.sendOne();
    }, 100);
  }

  private send(bytes: Uint8Array): void {
    this.sock.send(bytes, this.port, '127.0.0.1');
    this.sent++;
  }

  private typed(address: string, type: string, value: number | string): Uint8Array {
    const m = new OSC.TypedMessage(address, []);
    m.add(type as 'f' | 'i' | 's', value);
    return m.pack();
  }

  private sendOne(): void {
    const t = this.tick++;
    const phase = (t % 200) / 200;
    switch (t % 20) {
      case 0: case 1: case 2: case 3: case 4: case 5:
        this.send(this.typed('/sitter/norm/grade/saturation', 'f', 0.4 + 0.2 * Math.sin(phase * 2 * Math.PI)));
        break;
      case 6: case 7: case 8: case 9:
        this.send(this.typed('/sitter/walk/speed', 'f', 0.5 + phase));
        break;
      case 10: case 11:
        this.send(this.typed('/sitter/grain/amount', 'f', 0.05 + 0.1 * phase));
        break;
      case 12:
        this.send(this.typed('/sitter/morph/*', 'f', 0.5));
        break;
      case 13:
        // Malformed: NaN must never move a parameter.
        this.send(this.typed('/sitter/walk/speed', 'f', Number.NaN));
        this.malformed++;
        break;
      case 14:
        this.send(this.typed('/sitter/no/such/thing', 'f', 1));
        this.malformed++;
        break;
      case 15:
        this.send(Uint8Array.from({ length: 37 }, (_, k) => (k * 73 + t) & 0xff));
        this.malformed++;
        break;
      case 16:
        if (t % 400 === 16) {
          this.send(new Uint8Array(20_000));
          this.malformed++;
        }
        break;
      case 17:
        this.send(this.typed('/sitter/walk/speed', 's', 'fast'));
        this.malformed++;
        break;
      case 18:
        if (t % 600 === 18) this.send(this.typed('/sitter/cue/go', 'i', 1));
        break;
      default:
        this.send(this.typed('/sitter/vignette/amount', 'f', 0.3));
    }
  }

  /** Holds the desk still (a state comparison across a restart must not race a cue GO). */
  pause(on: boolean): void {
    this.paused = on;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  close(): void {
    this.stop();
    this.sock.close();
  }
}

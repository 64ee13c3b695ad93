import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rcvbufErrors, readKernelDrops, socketDrops } from '../../../kiosk/bridge/udp-drops.ts';

const HEADER = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';
// Port 0x2328 = 9000. Two of ours (inodes 111, 222), one stranger on the same port (333), one of ours elsewhere.
const UDP = [
  HEADER,
  '  1: 0100007F:2328 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 111 2 0000000000000000 17',
  '  2: 0200007F:2328 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 222 2 0000000000000000 3',
  '  3: 00000000:2328 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 333 2 0000000000000000 999',
  '  4: 0100007F:1F90 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 444 2 0000000000000000 5',
].join('\n');
const SNMP = 'Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors\nUdp: 100 1 40 7 38 0\n';

describe('kernel UDP drops', () => {
  it('sums the drops column of our own sockets on the port, by inode', () => {
    expect(socketDrops(UDP, new Set([9000]), new Set(['111', '222', '444']))).toBe(20);
    expect(socketDrops(UDP, new Set([9001]), new Set(['111']))).toBeNull();
    expect(rcvbufErrors(SNMP)).toBe(38);
    expect(rcvbufErrors('Ip: 1\nIp: 2\n')).toBeNull();
  });

  it('reads a /proc tree: per socket when listed, else the machine-wide RcvbufErrors, and says which', () => {
    const root = mkdtempSync(join(tmpdir(), 'sitter-proc-'));
    mkdirSync(join(root, 'net'));
    mkdirSync(join(root, 'self', 'fd'), { recursive: true });
    writeFileSync(join(root, 'net', 'udp'), UDP);
    writeFileSync(join(root, 'net', 'snmp'), SNMP);
    symlinkSync('socket:[111]', join(root, 'self', 'fd', '7'));
    symlinkSync('/dev/null', join(root, 'self', 'fd', '8'));
    expect(readKernelDrops([9000], root)).toEqual({ drops: 17, source: 'socket' });
    expect(readKernelDrops([9999], root)).toEqual({ drops: 38, source: 'system' });
    expect(readKernelDrops([9000], join(root, 'nothing'))).toEqual({ drops: null, source: 'none' });
  });

  it('finds this process\'s real socket on Linux', async () => {
    const { createSocket } = await import('node:dgram');
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const k = readKernelDrops([s.address().port]);
    s.close();
    if (process.platform === 'linux') expect(k).toEqual({ drops: 0, source: 'socket' });
  });
});

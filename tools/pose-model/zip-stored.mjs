// @ts-check
/**
 * A minimal zip writer: stored (uncompressed) entries, fixed timestamps, so the same inputs always give the same
 * bytes (reproducible builds, checkable by sha256). The format is PKWARE's APPNOTE.TXT 6.3.x, sections 4.3.7
 * (local file header), 4.3.12 (central directory header) and 4.3.16 (end of central directory record).
 *
 * Each entry's data starts on a 16-byte boundary of the archive: MediaPipe reads stored entries in place, and
 * TFLite flatbuffers want their buffers aligned (schema.fbs: `data:[ubyte] (force_align: 16)`). The padding goes
 * in an extra field with Android zipalign's id 0xD935 (u16 alignment, then zeros), which readers skip.
 */

/** @type {Uint32Array | undefined} */
let crcTable;

/**
 * CRC-32 as zip uses it (IEEE 802.3 polynomial 0xEDB88320, reflected; APPNOTE 4.4.7).
 * @param {Uint8Array} bytes
 * @returns {number}
 */
export function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = /** @type {number} */ (crcTable[(crc ^ /** @type {number} */ (bytes[i])) & 0xff]) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** 1980-01-01 00:00:00, the earliest MS-DOS date: a fixed stamp (APPNOTE 4.4.6) so builds are byte-identical. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const ALIGN = 16;
const ZIPALIGN_EXTRA_ID = 0xd935;

/**
 * @param {ReadonlyArray<{ name: string, data: Uint8Array }>} entries
 * @returns {Uint8Array}
 */
export function zipStored(entries) {
  const enc = new TextEncoder();
  /** @type {Uint8Array[]} */
  const parts = [];
  /** @type {Uint8Array[]} */
  const central = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = enc.encode(name);
    const crc = crc32(data);
    // Extra field of at least 6 bytes (id, size, u16 alignment) grown until the data starts aligned.
    let extraLen = 6;
    while ((offset + 30 + nameBytes.length + extraLen) % ALIGN !== 0) extraLen++;
    const local = new Uint8Array(30 + nameBytes.length + extraLen);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 10, true); // version needed: 1.0, stored
    lv.setUint16(6, 0x0800, true); // bit 11: names are UTF-8
    lv.setUint16(8, 0, true); // method 0: stored
    lv.setUint16(10, DOS_TIME, true);
    lv.setUint16(12, DOS_DATE, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, nameBytes.length, true);
    lv.setUint16(28, extraLen, true);
    local.set(nameBytes, 30);
    const x = 30 + nameBytes.length;
    lv.setUint16(x, ZIPALIGN_EXTRA_ID, true);
    lv.setUint16(x + 2, extraLen - 4, true);
    lv.setUint16(x + 4, ALIGN, true);

    const cd = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true); // made by: MS-DOS, 2.0
    cv.setUint16(6, 10, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint16(10, 0, true);
    cv.setUint16(12, DOS_TIME, true);
    cv.setUint16(14, DOS_DATE, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    // extra 0, comment 0, disk 0, internal attributes 0, external attributes 0 (all left zero)
    cv.setUint32(42, offset, true);
    cd.set(nameBytes, 46);

    parts.push(local, data);
    central.push(cd);
    offset += local.length + data.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  if (out.length > 0xffffffff) throw new RangeError('zipStored: archive over 4 GiB needs zip64, which this writer does not do');
  return out;
}

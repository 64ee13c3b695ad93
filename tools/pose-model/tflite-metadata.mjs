// @ts-check
/**
 * Adds TFLite model metadata (the `TFLITE_METADATA` entry MediaPipe Tasks reads for image preprocessing) to a
 * .tflite flatbuffer without re-serialising the model.
 *
 * How: a flatbuffer's offsets are relative (uoffset_t from the field to its target, always forward), so the old
 * bytes can sit unchanged behind a new prefix. We build, with the `flatbuffers` package's generic Builder, a new
 * root `Model` table whose fields point forward into the old bytes (operator codes, subgraphs, description,
 * signature defs) and whose `buffers` and `metadata` vectors hold the old entries plus one new entry each: the
 * metadata buffer. The prefix length is a multiple of 16 (minalign 16, from the buffer's force_align), so every
 * old buffer keeps its alignment. The old root offset and "TFL3" stay behind as eight dead bytes.
 *
 * Field ids from tensorflow/lite/schema/schema.fbs (Model, Buffer, Metadata) and
 * tensorflow_lite_support/metadata/metadata_schema.fbs 1.1.0 (ModelMetadata and below).
 */
import { Builder, ByteBuffer } from 'flatbuffers';

/** Model fields in schema.fbs order; vtable slot of field i is 4 + 2·i. */
const MODEL = { version: 0, operator_codes: 1, subgraphs: 2, description: 3, buffers: 4, metadata_buffer: 5, metadata: 6, signature_defs: 7 };
const MODEL_FIELDS = 8;
const METADATA_NAME = 'TFLITE_METADATA';
const METADATA_IDENTIFIER = 'M001';
/** metadata_schema.fbs: union ContentProperties { FeatureProperties = 1, ImageProperties = 2, … }. */
const CONTENT_IMAGE_PROPERTIES = 2;
/** metadata_schema.fbs: enum ColorSpaceType { UNKNOWN, RGB, GRAYSCALE }. */
const COLOR_SPACE_RGB = 1;
/** metadata_schema.fbs: union ProcessUnitOptions { NormalizationOptions = 1, … }. */
const PROCESS_UNIT_NORMALIZATION = 1;

/**
 * @typedef {object} ImageInputMetadata
 * @property {string} name        model name written into ModelMetadata
 * @property {string} description
 * @property {string} author
 * @property {string} license
 * @property {number} mean        NormalizationOptions mean (one value, propagated to all channels)
 * @property {number} std         NormalizationOptions std
 */

/**
 * The ModelMetadata flatbuffer (file identifier M001) for a model with one RGB image input.
 * @param {ImageInputMetadata} m
 * @returns {Uint8Array}
 */
export function imageInputMetadata(m) {
  const b = new Builder(512);
  const floats = (/** @type {number[]} */ xs) => {
    b.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) b.addFloat32(/** @type {number} */ (xs[i]));
    return b.endVector();
  };
  const offsets = (/** @type {number[]} */ xs) => {
    b.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) b.addOffset(/** @type {number} */ (xs[i]));
    return b.endVector();
  };

  const meanVec = floats([m.mean]);
  const stdVec = floats([m.std]);
  b.startObject(2); // NormalizationOptions
  b.addFieldOffset(0, meanVec, 0);
  b.addFieldOffset(1, stdVec, 0);
  const norm = b.endObject();

  b.startObject(2); // ProcessUnit { options: union }
  b.addFieldInt8(0, PROCESS_UNIT_NORMALIZATION, 0);
  b.addFieldOffset(1, norm, 0);
  const unit = b.endObject();

  b.startObject(2); // ImageProperties
  b.addFieldInt8(0, COLOR_SPACE_RGB, 0);
  const imageProps = b.endObject();

  b.startObject(3); // Content { content_properties: union, range }
  b.addFieldInt8(0, CONTENT_IMAGE_PROPERTIES, 0);
  b.addFieldOffset(1, imageProps, 0);
  const content = b.endObject();

  const tensorName = b.createString('image');
  const tensorDesc = b.createString('Input image, RGB.');
  const units = offsets([unit]);
  b.startObject(7); // TensorMetadata
  b.addFieldOffset(0, tensorName, 0);
  b.addFieldOffset(1, tensorDesc, 0);
  b.addFieldOffset(3, content, 0);
  b.addFieldOffset(4, units, 0);
  const tensor = b.endObject();

  const inputs = offsets([tensor]);
  b.startObject(7); // SubGraphMetadata
  b.addFieldOffset(2, inputs, 0);
  const subgraph = b.endObject();

  const name = b.createString(m.name);
  const description = b.createString(m.description);
  const author = b.createString(m.author);
  const license = b.createString(m.license);
  const subgraphs = offsets([subgraph]);
  // 1.0.0: every field used here exists since the first schema version (see the schema's History).
  const minParser = b.createString('1.0.0');
  b.startObject(8); // ModelMetadata
  b.addFieldOffset(0, name, 0);
  b.addFieldOffset(1, description, 0);
  b.addFieldOffset(3, subgraphs, 0);
  b.addFieldOffset(4, author, 0);
  b.addFieldOffset(5, license, 0);
  b.addFieldOffset(7, minParser, 0);
  const root = b.endObject();
  b.finish(root, METADATA_IDENTIFIER);
  return b.asUint8Array().slice();
}

/**
 * Reads the root Model table's field positions from the old bytes.
 * @param {Uint8Array} model
 */
function readModel(model) {
  const bb = new ByteBuffer(model);
  if (bb.getBufferIdentifier() !== 'TFL3') throw new Error('not a TFLite flatbuffer (file identifier is not "TFL3")');
  const table = bb.readUint32(0);
  const vtable = table - bb.readInt32(table);
  const vtableSize = bb.readUint16(vtable);
  for (let slot = 4 + 2 * MODEL_FIELDS; slot < vtableSize; slot += 2) {
    if (bb.readUint16(vtable + slot) !== 0) throw new Error(`Model table has field ${(slot - 4) / 2}, unknown to this tool: update MODEL`);
  }
  /** Absolute position of field `id`'s offset target, or undefined when absent. */
  const target = (/** @type {number} */ id) => {
    const o = bb.__offset(table, 4 + 2 * id);
    return o ? bb.__indirect(table + o) : undefined;
  };
  /** Absolute positions of the tables a vector-of-tables field points at. */
  const tables = (/** @type {number} */ id) => {
    const o = bb.__offset(table, 4 + 2 * id);
    if (!o) return [];
    const start = bb.__vector(table + o);
    return Array.from({ length: bb.__vector_len(table + o) }, (_, i) => bb.__indirect(start + 4 * i));
  };
  const versionAt = bb.__offset(table, 4 + 2 * MODEL.version);
  const buffers = tables(MODEL.buffers);
  for (const [i, buf] of buffers.entries()) {
    // Buffer.offset (field 1) is an absolute file offset, used only by models over 2 GB: shifting would break it.
    if (bb.__offset(buf, 6)) throw new Error(`buffer ${i} uses an absolute offset; this tool cannot shift it`);
  }
  const metadata = tables(MODEL.metadata).map((pos) => {
    const nameAt = bb.__offset(pos, 4);
    return { pos, name: nameAt ? bb.__string(pos + nameAt) : '' };
  });
  return {
    version: versionAt ? bb.readUint32(table + versionAt) : 0,
    operatorCodes: target(MODEL.operator_codes),
    subgraphs: target(MODEL.subgraphs),
    description: target(MODEL.description),
    metadataBuffer: target(MODEL.metadata_buffer),
    signatureDefs: target(MODEL.signature_defs),
    buffers,
    metadata,
  };
}

/**
 * The model with `metadata` as its TFLITE_METADATA (replacing an existing entry's target if there is one).
 * @param {Uint8Array} model the original .tflite bytes, unchanged in the output after the new prefix
 * @param {Uint8Array} metadata a ModelMetadata flatbuffer (see imageInputMetadata)
 * @returns {Uint8Array}
 */
export function withMetadata(model, metadata) {
  const old = readModel(model);
  const b = new Builder(metadata.length + 1024);
  // Old objects sit right after the prefix; the Builder counts positions back from the prefix's end, so an old
  // object at byte p of the old file is at Builder position −p, and addOffset writes the forward distance to it.
  const oldRef = (/** @type {number} */ p) => -p;

  b.startVector(1, metadata.length, 16); // Buffer.data is (force_align: 16); this also makes minalign 16
  for (let i = metadata.length - 1; i >= 0; i--) b.addInt8(/** @type {number} */ (metadata[i]));
  const data = b.endVector();
  b.startObject(3); // Buffer
  b.addFieldOffset(0, data, 0);
  const newBuffer = b.endObject();
  const newBufferIndex = old.buffers.length;

  const name = b.createString(METADATA_NAME);
  b.startObject(2); // Metadata { name, buffer }
  b.addFieldOffset(0, name, 0);
  b.addFieldInt32(1, newBufferIndex, 0);
  const newMeta = b.endObject();

  const offsets = (/** @type {number[]} */ xs) => {
    b.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) b.addOffset(/** @type {number} */ (xs[i]));
    return b.endVector();
  };
  const buffers = offsets([...old.buffers.map(oldRef), newBuffer]);
  const metas = offsets([...old.metadata.filter((m) => m.name !== METADATA_NAME).map((m) => oldRef(m.pos)), newMeta]);

  b.startObject(MODEL_FIELDS);
  b.addFieldInt32(MODEL.version, old.version, 0);
  if (old.operatorCodes !== undefined) b.addFieldOffset(MODEL.operator_codes, oldRef(old.operatorCodes), 0);
  if (old.subgraphs !== undefined) b.addFieldOffset(MODEL.subgraphs, oldRef(old.subgraphs), 0);
  if (old.description !== undefined) b.addFieldOffset(MODEL.description, oldRef(old.description), 0);
  b.addFieldOffset(MODEL.buffers, buffers, 0);
  if (old.metadataBuffer !== undefined) b.addFieldOffset(MODEL.metadata_buffer, oldRef(old.metadataBuffer), 0);
  b.addFieldOffset(MODEL.metadata, metas, 0);
  if (old.signatureDefs !== undefined) b.addFieldOffset(MODEL.signature_defs, oldRef(old.signatureDefs), 0);
  const root = b.endObject();
  b.finish(root, 'TFL3');
  const prefix = b.asUint8Array();
  if (prefix.length % 16 !== 0) throw new Error(`internal: prefix of ${prefix.length} bytes would misalign the model's buffers`);
  const out = new Uint8Array(prefix.length + model.length);
  out.set(prefix, 0);
  out.set(model, prefix.length);
  return out;
}

/**
 * Reads back the normalisation the metadata of a model declares, for checks: [mean, std] of input 0.
 * @param {Uint8Array} model
 * @returns {{ mean: number, std: number, colorSpace: number } | undefined}
 */
export function readImageNormalization(model) {
  const bb = new ByteBuffer(model);
  const table = bb.readUint32(0);
  const field = (/** @type {number} */ t, /** @type {number} */ id) => bb.__offset(t, 4 + 2 * id);
  const mo = field(table, MODEL.metadata);
  if (!mo) return undefined;
  const metaVec = bb.__vector(table + mo);
  const bufVec = bb.__vector(table + /** @type {number} */ (field(table, MODEL.buffers)));
  for (let i = 0; i < bb.__vector_len(table + mo); i++) {
    const m = bb.__indirect(metaVec + 4 * i);
    if (bb.__string(m + field(m, 0)) !== METADATA_NAME) continue;
    const buf = bb.__indirect(bufVec + 4 * bb.readUint32(m + field(m, 1)));
    const dataStart = bb.__vector(buf + field(buf, 0));
    const mb = new ByteBuffer(model.subarray(dataStart, dataStart + bb.__vector_len(buf + field(buf, 0))));
    if (mb.getBufferIdentifier() !== METADATA_IDENTIFIER) return undefined;
    const mf = (/** @type {number} */ t, /** @type {number} */ id) => mb.__offset(t, 4 + 2 * id);
    const first = (/** @type {number} */ t, /** @type {number} */ id) => mb.__indirect(mb.__vector(t + mf(t, id)));
    const root = mb.readUint32(0);
    const tensor = first(first(root, 3), 2);
    const content = mb.__indirect(tensor + mf(tensor, 3));
    const props = mb.__indirect(content + mf(content, 1));
    const unit = first(tensor, 4);
    const norm = mb.__indirect(unit + mf(unit, 1));
    return {
      mean: mb.readFloat32(mb.__vector(norm + mf(norm, 0))),
      std: mb.readFloat32(mb.__vector(norm + mf(norm, 1))),
      colorSpace: mb.readInt8(props + mf(props, 0)),
    };
  }
  return undefined;
}

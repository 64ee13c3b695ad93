import { DataTexture, ExternalTexture, NearestFilter, RGBAFormat, UnsignedByteType, type Texture } from 'three';
import type { GeneratedFrame } from '../generator/frame.ts';

/**
 * One generated frame as a texture the shaders can sample. 'webgl-texture' frames are wrapped without a copy
 * (three's ExternalTexture binds the generator's WebGLTexture as it is); 'pixels' frames are uploaded into a
 * DataTexture reused from frame to frame (a new one only when the size changes).
 */
export class FrameHolder {
  frame: GeneratedFrame | null = null;
  private data: DataTexture | null = null;
  private readonly external = new ExternalTexture(null);

  /** Takes a frame in; the previous one must have been released (take() returns it for that). */
  hold(frame: GeneratedFrame): void {
    this.frame = frame;
    if (frame.kind === 'webgl-texture') {
      this.external.sourceTexture = frame.texture;
      return;
    }
    const d = this.data;
    if (d && d.image.width === frame.width && d.image.height === frame.height) {
      // No copy on the CPU: the texture points at the frame's bytes until three uploads them at the next draw.
      d.image.data = frame.data;
      d.needsUpdate = true;
      return;
    }
    d?.dispose();
    const t = new DataTexture(frame.data, frame.width, frame.height, RGBAFormat, UnsignedByteType);
    // The shaders filter with texelFetch; no mipmaps, no flip (row 0 is the top, as the generator gives it).
    t.minFilter = NearestFilter;
    t.magFilter = NearestFilter;
    t.generateMipmaps = false;
    t.flipY = false;
    t.needsUpdate = true;
    this.data = t;
  }

  /** The texture to sample; null when empty. */
  texture(): Texture | null {
    const f = this.frame;
    if (!f) return null;
    return f.kind === 'webgl-texture' ? this.external : this.data;
  }

  /** Releases the frame back to the generator (it may free the tensor behind it now). */
  release(): void {
    const f = this.frame;
    this.frame = null;
    this.external.sourceTexture = null;
    f?.release();
  }

  dispose(): void {
    this.release();
    this.data?.dispose();
    this.data = null;
    this.external.dispose();
  }
}

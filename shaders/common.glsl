// Shared by every Sitter fragment shader. Prepended by src/render/glsl.ts (three adds `#version 300 es`).
precision highp float;
precision highp int;
precision highp sampler2D;

// Rec. 709 / sRGB luma weights (ITU-R BT.709-6, item 3.3), applied to linear light.
const vec3 LUMA_709 = vec3(0.2126, 0.7152, 0.0722);

// pcg3d integer hash: Jarzynski & Olano, "Hash Functions for GPU Rendering", JCGT 9(3), 2020.
// Integer maths gives the same values on every GPU, so seeded grain and dissolve patterns are testable.
uvec3 pcg3d(uvec3 v) {
  v = v * 1664525u + 1013904223u;
  v.x += v.y * v.z; v.y += v.z * v.x; v.z += v.x * v.y;
  v ^= v >> 16u;
  v.x += v.y * v.z; v.y += v.z * v.x; v.z += v.x * v.y;
  return v;
}

/** Three uniform numbers in [0, 1) for an integer lattice point and a seed. */
vec3 hash3(ivec2 p, uint seed) {
  return vec3(pcg3d(uvec3(uvec2(p), seed)) >> 8u) * (1.0 / 16777216.0);
}

// sRGB transfer function, IEC 61966-2-1:1999 (piecewise, exact rather than a 2.2 gamma).
vec3 srgbToLinear(vec3 c) {
  c = clamp(c, 0.0, 1.0);
  return mix(c / 12.92, pow((c + 0.055) / 1.055, vec3(2.4)), step(vec3(0.04045), c));
}
vec3 linearToSrgb(vec3 c) {
  c = clamp(c, 0.0, 1.0);
  return mix(c * 12.92, 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055, step(vec3(0.0031308), c));
}

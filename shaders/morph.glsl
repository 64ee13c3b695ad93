// Morphs between the previous (A) and next (B) generated frame; uProgress runs 0 → 1 over one measured
// generation interval (src/render/morph-timeline.ts). Every mode gives exactly A at 0 and exactly B at 1.
uniform sampler2D uPrev;
uniform sampler2D uNext;
uniform vec2 uPrevSize;
uniform vec2 uNextSize;
uniform float uProgress;
uniform float uStrength;  // morph/strength
uniform uint uSeed;

float lumaAt(vec2 uv) {
  vec3 a = sampleBilinear(uPrev, uPrevSize, uv);
  vec3 b = sampleBilinear(uNext, uNextSize, uv);
  return dot(LUMA_709, 0.5 * (a + b));
}

// Flow: brightness constancy I_x·u + I_y·v + I_t = 0 (Horn & Schunck 1981) solved for the normal flow
// d = −I_t ∇I / (|∇I|² + ε): the displacement along the luminance gradient that carries A's brightness to B's.
// A is pushed forward by p·d and B pulled back by (1 − p)·d, so edges slide instead of ghosting.
vec3 morphFlow(vec2 uv, float p) {
  vec2 size = max(uPrevSize, uNextSize);
  vec2 texel = 1.0 / size;
  vec2 g = 0.5 * vec2(lumaAt(uv + vec2(texel.x, 0.0)) - lumaAt(uv - vec2(texel.x, 0.0)),
                      lumaAt(uv + vec2(0.0, texel.y)) - lumaAt(uv - vec2(0.0, texel.y)));
  float it = dot(LUMA_709, sampleBilinear(uNext, uNextSize, uv) - sampleBilinear(uPrev, uPrevSize, uv));
  vec2 d = -it * g / (dot(g, g) + 0.01);
  float maxLen = 8.0 * uStrength;           // texels
  float len = length(d);
  if (len > maxLen) d *= maxLen / len;
  d *= texel;
  vec3 a = sampleImage(uPrev, uPrevSize, uv - p * d);
  vec3 b = sampleImage(uNext, uNextSize, uv + (1.0 - p) * d);
  return mix(a, b, p);
}

// Smooth value noise on the image (not the screen), so the dissolve pattern sticks to the portrait.
float valueNoise(vec2 x) {
  vec2 i = floor(x);
  vec2 f = x - i;
  vec2 u = f * f * (3.0 - 2.0 * f);
  ivec2 c = ivec2(i);
  float a = hash3(c, uSeed).x;
  float b = hash3(c + ivec2(1, 0), uSeed).x;
  float e = hash3(c + ivec2(0, 1), uSeed).x;
  float h = hash3(c + ivec2(1, 1), uSeed).x;
  return mix(mix(a, b, u.x), mix(e, h, u.x), u.y);
}

// Dissolve: each point switches from A to B when progress passes its noise threshold, with a soft edge w.
// The threshold is remapped so that p = 0 is all A and p = 1 all B whatever the noise values.
vec3 morphDissolve(vec2 uv, float p) {
  float scale = mix(3.0, 24.0, uStrength);
  float n = 0.5 * valueNoise(uv * scale) + 0.5 * valueNoise(uv * scale * 2.03 + 17.0);
  const float w = 0.06;
  float t = smoothstep(n - w, n + w, p * (1.0 + 2.0 * w) - w);
  return mix(sampleImage(uPrev, uPrevSize, uv), sampleImage(uNext, uNextSize, uv), t);
}

vec3 morph(vec2 uv) {
  float p = clamp(uProgress, 0.0, 1.0);
  // Endpoints and single frames skip the mode's work (and its sampling of a texture that is not there).
  if (p >= 1.0) return sampleImage(uNext, uNextSize, uv);
  if (p <= 0.0) return sampleImage(uPrev, uPrevSize, uv);
  // MORPH_MODE is a #define (0 crossfade, 1 flow, 2 dissolve: MORPH_MODES order in core/params/catalogue.ts):
  // one small program per mode, compiled on first use, rather than one program carrying all three.
#if MORPH_MODE == 1
  return morphFlow(uv, p);
#elif MORPH_MODE == 2
  return morphDissolve(uv, p);
#else
  return mix(sampleImage(uPrev, uPrevSize, uv), sampleImage(uNext, uNextSize, uv), p);
#endif
}

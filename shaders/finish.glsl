// Finishing: grading, film grain, vignette, master level. Input and output are display (sRGB-encoded) values.
uniform float uExposure;    // grade/exposure, EV
uniform float uContrast;    // grade/contrast, 1 = unchanged
uniform float uSaturation;  // grade/saturation, 0 = black and white
uniform float uTemperature; // grade/temperature, −1 cool … +1 warm
uniform float uTint;        // grade/tint, −1 green … +1 magenta
uniform float uGrainAmount;
uniform float uGrainSize;   // screen pixels
uniform float uGrainTime;   // seconds
uniform uint uGrainSeed;
uniform float uVignetteAmount;
uniform float uVignetteSoftness;
uniform float uLevel;       // master/level
uniform vec2 uScreenSize;   // drawing-buffer pixels

// Middle grey 0.18 is the pivot of the log-space contrast, as in ASC CDL / film grading practice:
// lin' = 0.18 · (lin / 0.18)^contrast keeps mid-grey where it is and bends shadows and highlights.
const float MID_GREY = 0.18;

vec3 grade(vec3 encoded) {
  // Neutral grading is the identity: skip the transfer functions (a uniform branch, the same for every pixel).
  if (uExposure == 0.0 && uContrast == 1.0 && uSaturation == 1.0 && uTemperature == 0.0 && uTint == 0.0) return clamp(encoded, 0.0, 1.0);
  vec3 lin = srgbToLinear(encoded);
  lin *= exp2(uExposure); // one stop doubles the light
  // White balance as per-channel gains in linear light, normalised by their Rec. 709 luma so that
  // temperature and tint change the hue of grey without changing its brightness.
  vec3 gains = vec3(1.0 + 0.25 * uTemperature + 0.1 * uTint, 1.0 - 0.2 * uTint, 1.0 - 0.25 * uTemperature + 0.1 * uTint);
  lin *= gains / dot(LUMA_709, gains);
  float y = dot(LUMA_709, lin);
  lin = max(mix(vec3(y), lin, uSaturation), 0.0);
  lin = MID_GREY * pow(lin / MID_GREY, vec3(uContrast));
  return linearToSrgb(lin);
}

// Film grain: triangular-distributed noise per grain cell, new pattern 24 times a second (the film frame
// rate), added in display space where it is perceptually even. Seeded: the same seed and time give the same grain.
vec3 grain(vec3 c, vec2 fragCoord) {
  if (uGrainAmount <= 0.0) return c;
  ivec2 cell = ivec2(floor(fragCoord / max(uGrainSize, 0.5)));
  uint frame = uint(max(floor(uGrainTime * 24.0), 0.0));
  vec3 h = hash3(cell, uGrainSeed ^ (frame * 0x9E3779B9u));
  float n = h.x + h.y - 1.0;        // triangular in [−1, 1]
  return c + n * 0.2 * uGrainAmount;
}

// Vignette on the physical screen: 0 at the centre, 1 at the corners (aspect-corrected distance).
float vignette(vec2 fragCoord) {
  if (uVignetteAmount <= 0.0) return 1.0;
  vec2 q = (fragCoord / uScreenSize - 0.5) * vec2(uScreenSize.x / uScreenSize.y, 1.0);
  float d = length(q) / length(vec2(0.5 * uScreenSize.x / uScreenSize.y, 0.5));
  return 1.0 - uVignetteAmount * smoothstep(1.0 - uVignetteSoftness, 1.0, d);
}

/** coverage is 1 on the picture and 0 on letterbox bars, which stay black (no grain on them). */
vec3 finish(vec3 encoded, vec2 fragCoord, float coverage) {
  vec3 c = grade(encoded);
  c = grain(c, fragCoord) * coverage;
  c *= vignette(fragCoord);
  return clamp(c * uLevel, 0.0, 1.0);
}

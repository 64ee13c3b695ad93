// Upsampling of small generator outputs (32×32, 64×64) to a gallery screen.
// Textures are read with texelFetch and filtered here, so tfjs's float textures (NEAREST, maybe without
// OES_texture_float_linear) and the 8-bit DataTextures go through the same, exact code path.
// Image uv: (0,0) top-left, row 0 of the image at the top, as the generator hands it over.

vec4 fetchClamped(sampler2D t, ivec2 size, ivec2 p) {
  return texelFetch(t, clamp(p, ivec2(0), size - 1), 0);
}

vec3 sampleBilinear(sampler2D t, vec2 size, vec2 uv) {
  ivec2 s = ivec2(size);
  vec2 p = uv * size - 0.5;
  ivec2 i = ivec2(floor(p));
  vec2 f = p - floor(p);
  vec3 a = fetchClamped(t, s, i).rgb;
  vec3 b = fetchClamped(t, s, i + ivec2(1, 0)).rgb;
  vec3 c = fetchClamped(t, s, i + ivec2(0, 1)).rgb;
  vec3 d = fetchClamped(t, s, i + ivec2(1, 1)).rgb;
  return mix(mix(a, b, f.x), mix(c, d, f.x), f.y);
}

// Catmull-Rom weights (Catmull & Rom 1974; the a = -0.5 cubic convolution of Keys 1981): interpolating,
// sharper than bilinear, which keeps a 64-pixel portrait looking painted rather than blurred.
vec4 catmullRom(float x) {
  float x2 = x * x;
  float x3 = x2 * x;
  return vec4(
    -0.5 * x3 + x2 - 0.5 * x,
    1.5 * x3 - 2.5 * x2 + 1.0,
    -1.5 * x3 + 2.0 * x2 + 0.5 * x,
    0.5 * x3 - 0.5 * x2);
}

vec3 sampleBicubic(sampler2D t, vec2 size, vec2 uv) {
  ivec2 s = ivec2(size);
  vec2 p = uv * size - 0.5;
  ivec2 i = ivec2(floor(p)) - 1;
  vec2 f = p - floor(p);
  vec4 wx = catmullRom(f.x);
  vec4 wy = catmullRom(f.y);
  vec3 acc = vec3(0.0);
  for (int y = 0; y < 4; y++) {
    vec3 row = wx.x * fetchClamped(t, s, i + ivec2(0, y)).rgb
             + wx.y * fetchClamped(t, s, i + ivec2(1, y)).rgb
             + wx.z * fetchClamped(t, s, i + ivec2(2, y)).rgb
             + wx.w * fetchClamped(t, s, i + ivec2(3, y)).rgb;
    acc += wy[y] * row;
  }
  // Catmull-Rom overshoots at hard edges; clamp to the displayable range.
  return clamp(acc, 0.0, 1.0);
}

// UPSCALE is a #define: 1 Catmull-Rom bicubic, 0 bilinear.
vec3 sampleImage(sampler2D t, vec2 size, vec2 uv) {
#if UPSCALE == 1
  return sampleBicubic(t, size, uv);
#else
  return clamp(sampleBilinear(t, size, uv), 0.0, 1.0);
#endif
}

// Painterly filter: Kuwahara's four-quadrant filter (Kuwahara et al. 1976) with the smooth weighting of
// Papari, Petkov & Campisi 2007 ("Artistic edge and corner enhancing smoothing", IEEE TIP 16(10)):
// each quadrant's mean is weighted by 1 / (1 + σ^q), q = 8, instead of picking the single flattest
// quadrant, which removes the flicker of hard switching between frames. Reads the raw picture texture.
uniform sampler2D uScene;
uniform int uPaintRadius;  // paint/radius, pixels of the render target, 1..8

const int MAX_PAINT_RADIUS = 8;

vec4 kuwahara(ivec2 p, ivec2 size) {
  vec3 m[4];
  vec3 s[4];
  float n[4];
  for (int k = 0; k < 4; k++) { m[k] = vec3(0.0); s[k] = vec3(0.0); n[k] = 0.0; }
  int r = clamp(uPaintRadius, 1, MAX_PAINT_RADIUS);
  for (int y = -MAX_PAINT_RADIUS; y <= MAX_PAINT_RADIUS; y++) {
    if (y < -r || y > r) continue;
    for (int x = -MAX_PAINT_RADIUS; x <= MAX_PAINT_RADIUS; x++) {
      if (x < -r || x > r) continue;
      vec3 c = texelFetch(uScene, clamp(p + ivec2(x, y), ivec2(0), size - 1), 0).rgb;
      vec3 c2 = c * c;
      // Quadrants overlap on the axes, as in the original filter.
      if (x <= 0 && y <= 0) { m[0] += c; s[0] += c2; n[0] += 1.0; }
      if (x >= 0 && y <= 0) { m[1] += c; s[1] += c2; n[1] += 1.0; }
      if (x <= 0 && y >= 0) { m[2] += c; s[2] += c2; n[2] += 1.0; }
      if (x >= 0 && y >= 0) { m[3] += c; s[3] += c2; n[3] += 1.0; }
    }
  }
  vec3 acc = vec3(0.0);
  float wsum = 0.0;
  for (int k = 0; k < 4; k++) {
    vec3 mean = m[k] / n[k];
    vec3 var = abs(s[k] / n[k] - mean * mean);
    float sigma = sqrt(var.r + var.g + var.b) * 255.0; // in 8-bit steps, as in Papari's parameters
    float w = 1.0 / (1.0 + pow(sigma, 8.0) * 1e-8);    // σ^q scaled so a σ of 10 steps weighs ½
    acc += w * mean;
    wsum += w;
  }
  return vec4(acc / wsum, texelFetch(uScene, p, 0).a);
}

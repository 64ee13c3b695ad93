// Painterly filter: Kuwahara's four-quadrant filter (Kuwahara et al. 1976) with the smooth weighting of
// Papari, Petkov & Campisi 2007 ("Artistic edge and corner enhancing smoothing", IEEE TIP 16(10)):
// each quadrant's mean is weighted by 1 / (1 + σ^q), q = 8, instead of picking the single flattest
// quadrant, which removes the flicker of hard switching between frames. Reads the raw picture texture.
uniform sampler2D uScene;
uniform int uPaintRadius;  // paint/radius, in pixels of the generated portrait, 1..8
// Screen pixels per portrait pixel: the filter samples the upscaled picture at the portrait's pixel pitch, so the
// strokes keep their size relative to the face on any screen (a 64-px portrait on 1080p is ~17 px per pixel;
// a radius in screen pixels would paint nothing) and the cost stays 4·(r + 1)² taps whatever the screen size.
uniform float uPaintStep;

const int MAX_PAINT_RADIUS = 8;

// Adds one quadrant's statistics: sum, sum of squares, count (summed area would be faster for large radii;
// at r ≤ 8 direct sums are simpler and exact).
void quadrant(ivec2 p, ivec2 size, ivec2 from, ivec2 to, out vec3 mean, out float sigma) {
  vec3 m = vec3(0.0);
  vec3 s = vec3(0.0);
  for (int y = from.y; y <= to.y; y++) {
    for (int x = from.x; x <= to.x; x++) {
      // Fractional offsets read with the render target's linear filter: rounding them to whole screen pixels
      // left a staircase in the strokes when a portrait pixel is not a whole number of screen pixels.
      vec2 q = clamp(vec2(p) + 0.5 + vec2(x, y) * uPaintStep, vec2(0.5), vec2(size) - 0.5);
      vec3 c = texture(uScene, q / vec2(size)).rgb;
      m += c;
      s += c * c;
    }
  }
  float n = float((to.x - from.x + 1) * (to.y - from.y + 1));
  mean = m / n;
  vec3 var = abs(s / n - mean * mean);
  sigma = sqrt(var.r + var.g + var.b) * 255.0; // in 8-bit steps, as in Papari's parameters
}

// Papari's weight 1 / (1 + σ^q), q = 8, with σ scaled so that a σ of 10 steps weighs ½.
float paintWeight(float sigma) {
  return 1.0 / (1.0 + pow(sigma, 8.0) * 1e-8);
}

vec4 kuwahara(ivec2 p, ivec2 size) {
  int r = clamp(uPaintRadius, 1, MAX_PAINT_RADIUS);
  // The four quadrants overlap on the axes, as in the original filter. Loop bounds are the uniform radius
  // (GLSL ES 3.0 allows it), so a small radius costs (r + 1)² taps per quadrant, not the maximum's.
  vec3 m0; vec3 m1; vec3 m2; vec3 m3;
  float s0; float s1; float s2; float s3;
  quadrant(p, size, ivec2(-r, -r), ivec2(0, 0), m0, s0);
  quadrant(p, size, ivec2(0, -r), ivec2(r, 0), m1, s1);
  quadrant(p, size, ivec2(-r, 0), ivec2(0, r), m2, s2);
  quadrant(p, size, ivec2(0, 0), ivec2(r, r), m3, s3);
  float w0 = paintWeight(s0);
  float w1 = paintWeight(s1);
  float w2 = paintWeight(s2);
  float w3 = paintWeight(s3);
  vec3 c = (w0 * m0 + w1 * m1 + w2 * m2 + w3 * m3) / (w0 + w1 + w2 + w3);
  return vec4(c, texelFetch(uScene, p, 0).a);
}

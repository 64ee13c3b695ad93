// Painterly pass over the whole picture, then the finish (grade, grain, vignette, level) to the screen.
uniform float uPaintAmount; // paint/amount
out vec4 outColor;

void main() {
  ivec2 size = textureSize(uScene, 0);
  ivec2 p = ivec2(gl_FragCoord.xy);
  vec4 raw = texelFetch(uScene, p, 0);
  vec4 painted = kuwahara(p, size);
  vec3 c = mix(raw.rgb, painted.rgb, clamp(uPaintAmount, 0.0, 1.0));
  outColor = vec4(finish(c, gl_FragCoord.xy, raw.a), 1.0);
}

// One grid cell: fit the portrait into the cell, morph the frame pair, and finish it here unless a
// painterly pass follows (then the raw picture goes to a render target and post.frag.glsl finishes it).
uniform vec2 uFitScale;  // image uv = (cell uv − 0.5) · uFitScale + 0.5; > 1 letterboxes, < 1 crops
uniform int uFinish;     // 1: draw to the screen finished; 0: draw the raw picture for the painterly pass
uniform int uHasFrame;   // 0 until the generator has presented a frame for this cell
in vec2 vCellUv;
out vec4 outColor;

void main() {
  vec2 uv = (vCellUv - 0.5) * uFitScale + 0.5;
  uv.y = 1.0 - uv.y; // image row 0 is the top
  bool inside = uHasFrame == 1 && all(greaterThanEqual(uv, vec2(0.0))) && all(lessThanEqual(uv, vec2(1.0)));
  if (!inside) {
    outColor = vec4(0.0, 0.0, 0.0, uFinish == 1 ? 1.0 : 0.0);
    return;
  }
  vec3 c = morph(uv);
  outColor = uFinish == 1 ? vec4(finish(c, gl_FragCoord.xy, 1.0), 1.0) : vec4(c, 1.0);
}

// One grid cell: a quad placed in the virtual (unrotated) screen, then turned for portrait-mounted screens.
precision highp float;
in vec3 position;
in vec2 uv;
uniform vec4 uRect;     // cell rectangle in virtual-screen NDC: x0, y0, x1, y1
uniform vec2 uRotation; // (cos, sin) of the clockwise turn of the picture on the framebuffer
out vec2 vCellUv;

void main() {
  vCellUv = uv;
  vec2 p = mix(uRect.xy, uRect.zw, uv);
  // Clockwise rotation in NDC; for 90° the virtual width maps onto the physical height exactly.
  gl_Position = vec4(uRotation.x * p.x + uRotation.y * p.y, -uRotation.y * p.x + uRotation.x * p.y, 0.0, 1.0);
}

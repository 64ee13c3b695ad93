/**
 * Inline styles for the DOM overlays (HUD, credits, status screen). Inline, so the overlays need no stylesheet and
 * work in any page (the CSP allows inline styles); typed as partial CSS declarations.
 */
export type Style = Partial<Record<'position' | 'inset' | 'top' | 'left' | 'right' | 'bottom' | 'zIndex' | 'margin' | 'padding' | 'font' | 'color' | 'background' | 'pointerEvents' | 'whiteSpace' | 'display' | 'gridTemplateColumns' | 'gap' | 'opacity' | 'transition' | 'textAlign' | 'maxWidth' | 'width' | 'height' | 'borderRadius' | 'overflow' | 'flexDirection' | 'justifyContent' | 'alignItems' | 'listStyle' | 'letterSpacing' | 'textShadow' | 'boxSizing' | 'cursor', string>>;

export function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, style: Style = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  Object.assign(e.style, style);
  if (text !== undefined) e.textContent = text;
  return e;
}

export const MONO = '13px/1.35 ui-monospace, "DejaVu Sans Mono", monospace';
export const SANS = '16px/1.4 system-ui, "DejaVu Sans", sans-serif';

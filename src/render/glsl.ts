import common from '../../shaders/common.glsl?raw';
import sample from '../../shaders/sample.glsl?raw';
import morph from '../../shaders/morph.glsl?raw';
import finish from '../../shaders/finish.glsl?raw';
import kuwahara from '../../shaders/kuwahara.glsl?raw';
import cellVert from '../../shaders/cell.vert.glsl?raw';
import cellFrag from '../../shaders/cell.frag.glsl?raw';
import postVert from '../../shaders/post.vert.glsl?raw';
import postFrag from '../../shaders/post.frag.glsl?raw';

/**
 * The shader programs, assembled from the chunks in shaders/ (GLSL has no #include; order matters: a chunk uses
 * only what the chunks before it declare). three prepends `#version 300 es` to RawShaderMaterial with GLSL3.
 */
export const CELL_VERTEX = cellVert;
export const CELL_FRAGMENT = [common, sample, morph, finish, cellFrag].join('\n');
export const POST_VERTEX = postVert;
export const POST_FRAGMENT = [common, finish, kuwahara, postFrag].join('\n');

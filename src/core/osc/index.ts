/** The OSC desk core: decoding, routing, coercion, coalescing, learn, echo guard, feedback and OSCQuery — no sockets. */
export { AddressSpace, COMMAND_ADDRESSES, DEFAULT_PREFIX, NORM_SEGMENT, type Route } from './address-space.ts';
export { Coalescer } from './coalescer.ts';
export { decodePacket, type DecodedPacket } from './decode.ts';
export { EchoGuard, type AddressForm } from './echo-guard.ts';
export { Feedback, unitArgs, type FeedbackOptions } from './feedback.ts';
export { LearnTable, parseLearnTable, type LearnMapping, type LearnTableData } from './learn.ts';
export { buildOscQueryTree, findNode, hostInfo, paramNode, type OscQueryNode, type OscQueryHostInfo } from './oscquery.ts';
export { flattenPacket, timetagToMs, type TimedMessage } from './packet.ts';
export { compilePattern, matches } from './pattern.ts';
export { OscRouter, type RouterOptions } from './router.ts';
export { emptyStats, totalDropped, type OscStats } from './stats.ts';
export * from './types.ts';
export * from './ws-protocol.ts';

export {
  DEFAULT_GOVERNOR_ORDER,
  FrameGovernor,
  GOVERNOR_KNOBS,
  GOVERNOR_STEPS,
  type GovernorChange,
  type GovernorKnob,
  type GovernorOptions,
} from './governor.ts';

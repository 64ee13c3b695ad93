import { parseDirectionsText, type LatentDirection } from '../core/latent/directions.ts';
import { createWalkSettings, readWalkSettings } from '../core/latent/walk-settings.ts';
import { barPhase, pulseValue, Tempo, WalkSyncer, WALK_SYNC_MODES, type TempoPosition, type WalkSync } from '../core/tempo/index.ts';
import { Recorder, Replayer, toJsonLines } from '../core/record/index.ts';
import { loadReplay, recordingName, saveRecording } from './replay-source.ts';
import type { Walker } from '../core/latent/walker.ts';
import { PageScreenWalk, ScreenFeed } from '../core/screens/page-walk.ts';
import { tileViewport } from '../core/screens/tile.ts';
import { CueLayerReporter, LayerMirror, TempoReporter, pulsedParams } from '../core/screens/layer-mirror.ts';
import { missingProvenance, provenanceWarning } from '../core/model-card/provenance.ts';
import { ParameterBus } from '../core/params/bus.ts';
import { isParamName, PARAMS, type SitterBus } from '../core/params/catalogue.ts';
import { applyInitial, CueEngine, creditsVisible, unsteerable, type Show } from '../core/show/index.ts';
import { clockFromMilliseconds, type Clock } from '../core/clock.ts';
import { errorMessage } from '../core/error-message.ts';
import { backendPreference, createGenerator, GenerationQueue, reportGeneratorStatus, type Generator, type TensorMemory } from '../generator/index.ts';
import { CreditsOverlay, Hud, StatusScreen, bridgeRows, createSitterRenderer, type HudRow, type SitterRenderer } from '../render/index.ts';
import { demoteSoftwareWebGpu } from './backend-order.ts';
import { Desk } from './desk.ts';
import { MidiDesk } from './midi-desk.ts';
import type { SitterDebug } from './debug-hooks.ts';
import { ErrorReporter } from './error-reporting.ts';
import { FrameLoop } from './frame-loop.ts';
import { governedBus } from './governed-bus.ts';
import { FrameGovernor } from '../core/governor/index.ts';
import { GeneratorSlot } from './generator-slot.ts';
import { Heartbeat, heapBytes, type Vitals } from './heartbeat.ts';
import type { PageConfig } from './page-config.ts';
import { PortraitPipeline, type LatentSource, type StyleFeed } from './portrait-pipeline.ts';
import { createWalk, directionsFor, walkSpaceOf } from './walk-setup.ts';
import { fetchShow, parseShowText } from './show-source.ts';
import { StateSync } from './state-sync.ts';
import { Visitors } from './visitors.ts';
import { ScreenWakeLock } from './wake-lock.ts';

type Phase = 'loading' | 'running' | 'recovering' | 'error';

/** A generator with its queue: what the generator slot holds and disposes together. */
interface LiveGenerator {
  readonly generator: Generator;
  readonly queue: GenerationQueue;
  dispose(): void;
}

/** Longer frames than this are pauses (hidden tab, debugger), not load; a weak machine's slowest frames are ~1.3 s. */
const MAX_GOVERNED_FRAME_S = 5;

/** The parts of a running show, all built together in start() and torn down together in dispose(). */
interface Running {
  readonly show: Show;
  readonly renderer: SitterRenderer;
  readonly hud: Hud;
  readonly credits: CreditsOverlay;
  readonly cues: CueEngine;
  readonly desk: Desk | null;
  readonly midi: MidiDesk | null;
  readonly stateSync: StateSync | null;
  readonly visitors: Visitors | null;
  readonly loop: FrameLoop;
  readonly heartbeat: Heartbeat | null;
  readonly wakeLock: ScreenWakeLock;
  readonly generator: GeneratorSlot<LiveGenerator>;
  /** performance.now() at start, for the credits' schedule. */
  readonly startedAt: number;
  /** Several screens: a following page mirrors the leader's layers; the leading page reports its cue layer. */
  readonly screenMirror: LayerMirror | null;
  readonly cueReporter: CueLayerReporter | null;
  /** Several screens, on the leading page: its tempo for every lane, when corrected. */
  readonly tempoReporter: TempoReporter | null;
}

/** Seconds between attempts to load a model that failed (a gallery technician may be copying it in). */
const MODEL_RETRY_SECONDS = 10;

/**
 * The composition root: builds every part from a validated show and runs the one flow
 * inputs → bus → walker → generator → renderer → screen. Owns start, recovery and dispose.
 */
export class SitterApp {
  private readonly bus: SitterBus = new ParameterBus(PARAMS);
  /** Holds kiosk.targetFps by capping costly knobs (src/core/governor); null until a show runs. */
  private governor: FrameGovernor | null = null;
  /** What the renderer, pipeline and generator read: the bus under the governor's ceilings (src/app/governed-bus.ts). */
  private readonly governed: SitterBus = governedBus(this.bus, () => this.governor);
  /** The last frame's start (the loop's clock, seconds): the governor is fed real frame times, not the loop's clamped dt. */
  private lastFrameS = -1;
  private readonly clock: Clock = clockFromMilliseconds(() => performance.now());
  private readonly status: StatusScreen;
  private readonly errors: ErrorReporter;
  private readonly notice: HTMLDivElement;
  private phase: Phase = 'loading';
  /** Everything start() builds, all at once; null before the show is read and after dispose(). */
  private running: Running | null = null;
  /** The walk and the pipeline exist from the first generator on (the walk's size is the model's latent size, or
   * w_dim for a StyleGAN walked in w) and outlive every rebuild, so a recovered screen carries on where it was. */
  private walker: Walker | null = null;
  /** A StyleGAN's w walk: rows for the queue, and the generator's settings it drives. */
  private styles: StyleFeed | undefined;
  /** Several screens: the shared walk this screen shows (the lane its kiosk relays), in place of the walker's own. */
  private screenWalk: PageScreenWalk | null = null;
  /** Several screens: what the kiosk relays for the walk lane, kept until the walk exists (the model loads first). */
  private readonly screenFeed = new ScreenFeed();
  private pipeline: PortraitPipeline | null = null;
  private lastStatusMs = 0;
  /** Sampled with the status parameters (once a second): tf.memory() is too costly to call per heartbeat read. */
  private tensorMemory: TensorMemory = { tensors: 0, bytes: 0 };
  private disposed = false;
  private readonly offKeys: () => void;
  /** The show's tempo (beat pulses, taps, MIDI clock) and the walk's lock to it (walk/sync). */
  private readonly tempo = new Tempo();
  private readonly syncer = new WalkSyncer();
  private readonly walkSettings = createWalkSettings();
  private deltaBeats = 0;
  private readonly offTempo: () => void;
  /** Records the bus's inputs while on (key r, /sitter/record); the last recording is kept for the kiosk to save. */
  private readonly recorder: Recorder;
  private lastRecording: string | null = null;
  /** `npm start -- --replay`: the recording played into the bus under the live desk, and the show time it began. */
  private replay: { replayer: Replayer; startedAt: number; loop: boolean } | null = null;
  private replayState: ReturnType<NonNullable<SitterDebug['replay']>> = null;

  constructor(
    private readonly stage: HTMLElement,
    private readonly config: PageConfig,
  ) {
    this.status = new StatusScreen(document.body, 'Sitter');
    this.errors = new ErrorReporter(config.kiosk ? '/api/log' : '');
    this.notice = document.createElement('div');
    this.notice.style.cssText =
      'position:fixed;left:1.5vw;bottom:1.5vh;font:14px system-ui,sans-serif;color:#aaa;background:#000a;padding:4px 8px;display:none;z-index:20';
    document.body.append(this.notice);
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'h') this.bus.set('hud/visible', !this.bus.bool('hud/visible'), 'desk');
      if (e.key === 's') this.bus.set('hud/skeleton', !this.bus.bool('hud/skeleton'), 'desk');
      if (e.key === 't') this.tap();
      if (e.key === 'r') this.record(!this.recorder.recording);
    };
    window.addEventListener('keydown', onKey);
    this.offKeys = () => window.removeEventListener('keydown', onKey);
    this.recorder = new Recorder(this.bus, { show: config.show, now: () => this.clock.now() });
    this.offTempo = this.bus.subscribe((c) => {
      if (c.name === 'tempo/bpm' && typeof c.target === 'number') this.tempo.setBpm(c.target);
      if (c.name === 'tempo/beats-per-bar' && typeof c.target === 'number') this.tempo.beatsPerBar = c.target;
    });
  }

  async start(): Promise<void> {
    this.status.show();
    this.status.expect('show', `Show "${this.config.show}"`);
    this.status.expect('model', 'Portrait model');
    this.status.step('show', `Show "${this.config.show}"`);
    const loaded = await fetchShow(this.config.show, this.config.kiosk);
    if (this.disposed) return;
    if (!loaded.ok) {
      this.phase = 'error';
      this.status.fail('show', new Error(loaded.errors.join('\n')));
      this.errors.report('error', `show "${this.config.show}" refused`, loaded.errors.join('\n'));
      return;
    }
    this.status.done('show');
    const show = loaded.show;
    applyInitial(show, this.bus);
    this.tempo.setBpm(this.bus.number('tempo/bpm'));
    this.tempo.beatsPerBar = this.bus.number('tempo/beats-per-bar');

    this.governor = show.kiosk.targetFps > 0 ? new FrameGovernor({ targetFps: show.kiosk.targetFps, order: show.kiosk.governor.order }) : null;
    const renderer = createSitterRenderer({ bus: this.governed, container: this.stage, clock: this.clock });
    const screenRole = this.config.screen !== null ? show.screens?.list.find((s) => s.id === this.config.screen) : undefined;
    const leads = screenRole !== undefined && show.screens?.leader === screenRole.id;
    const follows = screenRole !== undefined && !leads;
    if (screenRole?.tile) renderer.setViewport(tileViewport(screenRole.tile, screenRole.rotation));
    // The screen's mounting is the show layer's rotation here (a desk may still turn it).
    if (screenRole && screenRole.rotation !== 0) this.bus.set('layout/rotation', String(screenRole.rotation), 'show');
    renderer.on('contextlost', () => this.contextLost());
    renderer.on('contextrestored', () => this.contextRestored());
    const cues = new CueEngine(show, this.bus, this.clock, {
      beats: () => this.tempo.beats,
      beatsPerBar: () => this.tempo.beatsPerBar,
      bpm: () => this.tempo.bpm,
    });
    let desk: Desk | null = null;
    const midi = show.midi.enabled
      ? new MidiDesk({
          show,
          bus: this.bus,
          cues,
          log: (level, m) => this.errors.report(level, m),
          onLearned: () => desk?.learn.cancel(),
          // MIDI event timestamps are performance.now() milliseconds, the show clock's own base.
          onClock: (e, atMs) => {
            this.tempo.clock(e, atMs / 1000);
            this.recorder.tempo(e, atMs / 1000);
          },
        })
      : null;
    desk = this.config.wsUrl
      ? new Desk({
          wsUrl: this.config.wsUrl,
          bus: this.bus,
          cues,
          feedbackRateHz: show.osc.feedback?.rateHz ?? 30,
          log: (level, m) => this.errors.report(level, m),
          ...(midi ? { onLearn: (c) => midi.learnCommand(c) } : {}),
          onTempo: (kind) => (kind === 'tap' ? this.tap() : this.beat()),
          onRecord: (on) => this.record(on),
          ...(this.config.screen !== null ? { onScreens: (text: string) => this.screenFeed.push(text) } : {}),
        })
      : null;
    const running: Running = {
      show,
      renderer,
      hud: new Hud(document.body, this.bus, () => this.hudRows(desk)),
      credits: new CreditsOverlay(document.body, this.bus),
      cues,
      desk,
      midi,
      stateSync: this.config.kiosk && !follows ? new StateSync(show.name, this.bus, cues, show.cues.length, desk?.learn ?? null, undefined, midi?.table ?? null) : null,
      // The leader owns the camera: a following screen's picture follows the leader's visitors through the lane.
      visitors: show.pose.enabled && !follows
        ? new Visitors({ show, bus: this.bus, container: this.stage, onNotice: (t) => this.say(t), log: (l, m) => this.errors.report(l, m) })
        : null,
      loop: new FrameLoop((now, dt) => this.frame(now, dt)),
      heartbeat: this.config.kiosk ? new Heartbeat(() => this.vitals()) : null,
      wakeLock: new ScreenWakeLock(),
      generator: new GeneratorSlot(() => this.buildGenerator(), {
        onReady: (g) => this.generatorReady(g),
        onFailure: (e, s) => this.generatorFailed(e, s),
        onDisposeError: (e) => this.errors.report('warn', `generator dispose after loss: ${errorMessage(e)}`),
        retrySeconds: MODEL_RETRY_SECONDS,
      }),
      startedAt: performance.now(),
      screenMirror: follows ? new LayerMirror(this.bus) : null,
      cueReporter: leads && desk ? new CueLayerReporter(this.bus, (source, values) => desk.sendLayers(source, values), undefined, pulsedParams(show.tempo.pulses)) : null,
      tempoReporter: leads && desk ? new TempoReporter((tempo) => desk.sendTempo(tempo)) : null,
    };
    this.running = running;

    if (follows) {
      // The leader's cue engine and desk decide; this page takes their layers from the lane (no cues of its own).
    } else if (running.stateSync) {
      const r = await running.stateSync.restore();
      if (this.disposed) return;
      if (r.warning) this.errors.report('warn', r.warning);
      if (!r.restored && show.startCue !== null) cues.goto(show.startCue);
    } else if (show.startCue !== null) {
      cues.goto(show.startCue);
    }
    if (running.visitors) void running.visitors.start();
    running.loop.start();
    running.heartbeat?.start();
    this.installDebugHooks();
    this.watchShowInDev();
    if (this.config.replay !== null && !follows) void this.startReplay(this.config.replay);
    await running.generator.rebuild();
  }

  /** One generator and its queue, for the slot; the walker and the pipeline are made with the first one. */
  private async buildGenerator(): Promise<LiveGenerator> {
    const running = this.running;
    if (!running) throw new Error('the app is not running');
    const { show, renderer } = running;
    this.phase = this.phase === 'recovering' ? 'recovering' : 'loading';
    this.status.show();
    this.status.step('model', `Portrait model "${show.model}"`);
    const pref = backendPreference(location.search, show.backend);
    for (const w of pref.warnings) this.errors.report('warn', w);
    // An explicit ?backend= is obeyed as given; otherwise a software WebGPU adapter yields to WebGL.
    const order = new URLSearchParams(location.search).has('backend') ? pref.order : await demoteSoftwareWebGpu(pref.order);
    const generator = await createGenerator({
      modelUrl: `/models/${show.model}/`,
      upscalerUrl: '/models/upscale-x4/',
      upscaleMode: () => this.governed.string('layout/upscale'),
      backends: order,
      gl: renderer.getContext(),
      resetRendererState: () => renderer.resetState(),
      onProgress: (p) => this.status.progress('model', p.phase === 'ready' ? 1 : p.phase === 'warmup' ? 0.8 + 0.2 * p.fraction : p.phase === 'weights' ? 0.2 + 0.6 * p.fraction : 0.1),
      onDeviceLost: (loss) => {
        // A lost WebGL context is the renderer's too: contextlost/contextrestored handle it, once. Only a device
        // of the generator's own (WebGPU) is rebuilt from here.
        if (renderer.getContext().isContextLost()) return;
        this.errors.report('warn', `GPU device lost (${loss.backend}): ${loss.reason}`);
        this.phase = 'recovering';
        void this.running?.generator.rebuild();
      },
      log: (m) => this.errors.report('info', m),
    });
    // A StyleGAN takes w rows from the walk (synthesis only); any other model its latent.
    const source = generator.stylegan ? { generate: (rows: Float32Array, n: number) => generator.generate(rows, n, { input: 'styles' }) } : generator;
    const queue = new GenerationQueue(source, { onError: (e) => this.errors.report('warn', `generation failed: ${errorMessage(e)}`) });
    const live: LiveGenerator = {
      generator,
      queue,
      dispose: () => {
        queue.dispose();
        generator.dispose();
      },
    };
    if (!this.walker) {
      try {
        const space = walkSpaceOf(generator);
        const directions = await this.loadDirections(show.model, space.size, space.kind);
        for (const line of unsteerable(show, directions.length)) this.errors.report('warn', `steering has no effect: ${line}`);
        const walk = createWalk(generator, directions);
        this.walker = walk.walker;
        this.styles = walk.styles;
        const role = this.config.screen !== null ? show.screens?.list.find((s) => s.id === this.config.screen) : undefined;
        if (this.config.screen !== null && !role) this.errors.report('warn', `screen "${this.config.screen}" is not in the show's screens: walking alone`);
        if (role && walk.styles) this.errors.report('warn', `screen "${role.id}": a StyleGAN walked in w is not shared across screens yet; walking alone`);
        else if (role) {
          // One walk on several screens: the lane the kiosk relays, stepped on the leader's clock (src/core/screens).
          const card = generator.card;
          const sw = new PageScreenWalk({
            role, size: walk.walker.size, ...(card.mean ? { mean: Float32Array.from(card.mean) } : {}), directions, initial: show.initial, pulses: show.tempo.pulses,
            now: () => Date.now() / 1000,
            onRefused: (error) => this.errors.report('warn', `screens message refused: ${error}`),
          });
          this.screenFeed.connect((text) => sw.receive(text));
          this.screenWalk = sw;
        }
      } catch (e) {
        live.dispose();
        throw e;
      }
    }
    return live;
  }

  private generatorReady(live: LiveGenerator): void {
    const running = this.running;
    const walker = this.walker;
    if (!running || !walker) return;
    if (this.pipeline) this.pipeline.setQueue(live.queue, live.generator.stylegan?.settings);
    else if (this.screenWalk) {
      // Several screens: the lane steps itself on the leader's clock (tempo sync would step it out of the others' time).
      const source: LatentSource = this.screenWalk;
      this.pipeline = new PortraitPipeline(source, live.queue, running.renderer, this.governed, () => this.clock.now());
    } else this.pipeline = new PortraitPipeline(walker, live.queue, running.renderer, this.governed, () => this.clock.now(), this.styles, (dt) => this.walkStep(dt, walker));
    this.pipeline.pause(false);
    const card = live.generator.card;
    // An imported model's card starts without provenance: no empty caption on screen, a warning in the log.
    running.credits.setCard(card.provenance.credits.trim() !== '' ? { credits: card.provenance.credits, licence: card.provenance.licence } : null);
    const missing = missingProvenance(card);
    if (missing.length > 0) this.errors.report('warn', provenanceWarning(running.show.model, card, missing));
    this.status.done('model');
    this.status.hide();
    this.phase = 'running';
    this.tensorMemory = reportGeneratorStatus(this.bus, live.generator);
  }

  private generatorFailed(e: unknown, retrySeconds: number): void {
    this.phase = 'error';
    this.status.fail('model', e);
    this.errors.report('error', `model "${this.running?.show.model ?? ''}" could not load: ${errorMessage(e)}; retrying in ${retrySeconds} s`);
  }

  private async loadDirections(model: string, size: number, kind: 'z' | 'w'): Promise<readonly LatentDirection[]> {
    try {
      const res = await fetch(`/models/${model}/directions.json`);
      if (!res.ok) return [];
      const { directions, problem } = directionsFor(parseDirectionsText(await res.text(), size), kind);
      if (problem === undefined) return directions;
      this.errors.report('warn', `models/${model}/directions.json ignored: ${problem}`);
    } catch {
      // No directions: steering sliders do nothing, the walk runs as usual.
    }
    return [];
  }

  private contextLost(): void {
    this.phase = 'recovering';
    this.errors.report('warn', 'WebGL context lost; waiting for it to come back');
    this.pipeline?.pause(true);
    this.running?.generator.invalidate();
    this.say('The graphics context was lost; recovering…');
  }

  private contextRestored(): void {
    this.errors.report('info', 'WebGL context restored; rebuilding the generator');
    this.phase = 'recovering';
    void this.running?.generator.rebuild().then(() => this.say(null));
  }

  private frame(nowS: number, dt: number): void {
    const r = this.running;
    if (!r) return;
    const nowMs = nowS * 1000;
    try {
      // A gap of seconds is a hidden tab or a paused loop, not the page's pace: the governor must not answer it.
      const gap = nowS - this.lastFrameS;
      if (this.lastFrameS >= 0 && gap < MAX_GOVERNED_FRAME_S) this.governor?.tick(gap);
      this.lastFrameS = nowS;
      r.desk?.frame(Date.now());
      r.midi?.frame();
      this.deltaBeats = this.tempo.advance(this.clock.now());
      // A following screen runs no cues of its own: the leader's arrive through the lane.
      if (!r.screenMirror) r.cues.tick();
      r.cueReporter?.frame(nowMs);
      if (r.desk) r.tempoReporter?.frame(this.tempo, r.desk.status() === 'open');
      if (r.screenMirror && this.screenWalk) r.screenMirror.update(this.screenWalk.currentLane());
      // A following page's beat is the leader's, from the lane (its own hears no desk): its pulses lock to the leader's.
      const beat: TempoPosition = (r.screenMirror ? this.screenWalk?.laneTempo() : null) ?? this.tempo;
      this.bus.report('tempo/phase', barPhase(beat));
      this.bus.report('tempo/current-bpm', beat.bpm);
      for (const p of r.show.tempo.pulses) if (isParamName(p.param)) this.bus.set(p.param, pulseValue(p, beat), 'pose', { immediate: true });
      r.visitors?.frame(dt);
      if (r.show.credits) this.bus.set('credits/visible', creditsVisible(r.show.credits, (nowMs - r.startedAt) / 1000), 'show');
      this.recorder.frame(dt);
      const rp = this.replay;
      if (rp && !rp.replayer.finished) {
        rp.replayer.advanceTo(this.clock.now() - rp.startedAt);
        const was = this.replayState;
        const state = rp.replayer.finished ? 'finished' : 'playing';
        // A new report object only when something changed: this runs every frame.
        if (was && (was.dropped !== rp.replayer.dropped || was.state !== state)) this.replayState = { ...was, dropped: rp.replayer.dropped, state };
      }
      this.bus.tick(dt);
      this.pipeline?.tick(dt);
      const showTime = this.clock.now();
      r.renderer.render(showTime);
      r.hud.update(showTime);
      r.credits.update();
      r.stateSync?.tick(nowMs);
      if (nowMs - this.lastStatusMs > 1000) {
        this.lastStatusMs = nowMs;
        this.bus.report('status/fps', r.loop.fps());
        this.bus.report('status/cue', r.cues.current);
        this.tensorMemory = reportGeneratorStatus(this.bus, r.generator.current?.generator ?? null);
      }
    } catch (e) {
      // One bad frame is logged and skipped; the installation goes on.
      this.errors.report('error', `frame: ${errorMessage(e)}`, e instanceof Error ? e.stack : undefined);
    }
  }

  /** The walker's step this frame: on seconds, or in beat time when walk/sync is on (src/core/tempo/walk-sync.ts). */
  private walkStep(dt: number, walker: Walker): { dt: number; settings: ReturnType<typeof createWalkSettings> } {
    // The governed view, as the pipeline reads it: a capped layout/grid must give the walker the same sibling count.
    const s = readWalkSettings(this.governed, this.walkSettings);
    const sync = this.bus.string('walk/sync');
    return this.syncer.step(dt, s, {
      sync: (WALK_SYNC_MODES as readonly string[]).includes(sync) ? (sync as WalkSync) : 'off',
      spacing: this.bus.number('walk/sync-spacing'),
      beatsPerBar: this.tempo.beatsPerBar,
      bpm: this.tempo.bpm,
      beats: this.tempo.beats,
      deltaBeats: this.deltaBeats,
      dtSeconds: dt,
      position: walker.position(),
    });
  }

  /** Loads the recording and plays it from now on; a missing or broken one is said on screen and the show runs live. */
  private async startReplay(name: string): Promise<void> {
    this.replayState = { name, state: 'loading', loop: false, dropped: 0, error: null };
    const r = await loadReplay(name);
    if (this.disposed) return;
    if (!r.ok) {
      this.replayState = { name, state: 'failed', loop: false, dropped: 0, error: r.error };
      this.errors.report('warn', r.error);
      this.say(r.error);
      setTimeout(() => {
        if (this.notice.textContent === r.error) this.say(null);
      }, 15_000);
      return;
    }
    const loop = r.recording.header.loop === true;
    // Recorded desk writes go to the cue layer: a live fader overrides them, letting go returns to the recording.
    // Tempo events take the time they are played at (the recording's own clock is another session's).
    const replayer = new Replayer(r.recording, {
      bus: this.bus,
      underLive: true,
      loop,
      onTempo: (e) => {
        const t = this.clock.now();
        if (e === 'beat') this.tempo.beat(t);
        else if (e === 'tap') this.tempo.tap(t);
        else this.tempo.clock(e, t);
      },
    });
    this.replay = { replayer, startedAt: this.clock.now(), loop };
    this.replayState = { name, state: 'playing', loop, dropped: 0, error: null };
    this.errors.report('info', `replaying "${name}": ${r.recording.events.length} events over ${replayer.duration.toFixed(1)} s${loop ? ', looped' : ''}, under the live desk`);
  }

  private tap(): void {
    const t = this.clock.now();
    this.tempo.tap(t);
    this.recorder.tempo('tap', t);
  }

  private beat(): void {
    const t = this.clock.now();
    this.tempo.beat(t);
    this.recorder.tempo('beat', t);
  }

  private record(on: boolean): void {
    if (on === this.recorder.recording) return;
    if (on) {
      this.recorder.begin();
      this.errors.report('info', 'recording the show\'s inputs');
      return;
    }
    const rec = this.recorder.end();
    this.lastRecording = toJsonLines(rec);
    const seconds = rec.events.length > 0 ? (rec.events[rec.events.length - 1]?.t ?? 0) - rec.header.start : 0;
    this.errors.report('info', `recording stopped: ${rec.events.length} events over ${seconds.toFixed(1)} s${this.recorder.truncated ? ' (stopped at its size limit)' : ''}`);
    // The kiosk keeps it (<stateDir>/recordings/); without one (npm run dev) it stays at window.sitter.recording().
    if (this.config.kiosk) {
      const text = this.lastRecording;
      void saveRecording(recordingName(this.config.show, new Date()), text).then((r) => this.errors.report(r.ok ? 'info' : 'warn', r.message));
    }
  }

  private say(text: string | null): void {
    this.notice.textContent = text ?? '';
    this.notice.style.display = text ? 'block' : 'none';
  }

  vitals(): Vitals {
    const r = this.running;
    const s = r?.visitors?.states() ?? { camera: 'off', pose: 'off' };
    const info = r?.renderer.three.info.memory;
    return {
      fps: r?.loop.fps() ?? 0,
      tensors: this.bus.number('status/tensors'),
      tensorBytes: this.tensorMemory.bytes,
      heapBytes: heapBytes(),
      backend: this.bus.string('status/backend'),
      camera: s.camera,
      pose: s.pose,
      cue: r?.cues.current ?? -1,
      phase: this.phase,
      textures: info ? info.textures : 0,
      governor: this.governor?.describe() ?? 'off',
    };
  }

  /** The HUD's rows beyond the parameters: the desk bridge's counters and what the governor lowered and why. */
  private hudRows(desk: Desk | null): HudRow[] {
    const rows = desk ? bridgeRows(desk.bridgeCounters()) : [];
    if (this.governor) rows.push({ label: 'governor', text: this.governor.describe() });
    return rows;
  }

  /**
   * Applies an edited show without a reload: start values, mappings, idle look and credits change, the walk keeps
   * its place. The cue list and the camera settings apply at the next page load (a running cue stays valid). A broken
   * show changes nothing: the running one goes on and the errors are reported (and shown for a while).
   */
  reloadShow(text: string): { ok: boolean; errors: readonly string[] } {
    const r = parseShowText(this.config.show, text);
    if (!r.ok) {
      this.errors.report('warn', 'show reload refused', r.errors.join('\n'));
      this.say(`Show not reloaded: ${r.errors[0] ?? ''}`);
      return { ok: false, errors: r.errors };
    }
    applyInitial(r.show, this.bus);
    if (this.running) {
      this.running.visitors?.setShow(r.show);
      this.running = { ...this.running, show: r.show };
    }
    this.say(null);
    return { ok: true, errors: [] };
  }

  private installDebugHooks(): void {
    const hooks: SitterDebug = {
      phase: () => this.phase,
      vitals: () => this.vitals(),
      values: () => this.bus.snapshot(),
      framesPresented: () => this.pipeline?.framesPresented() ?? 0,
      screen: () => {
        const w = this.screenWalk;
        if (!w) return null;
        const tick = w.tickNow();
        const at = tick === null ? -1 : Math.floor((tick - 30) / 30) * 30;
        const z = at >= 0 ? w.laneLatentAt(at) : null;
        return { following: w.isFollowing(), tick, probe: z ? { tick: at, latent: Array.from(z) } : null };
      },
      loseContext: () => {
        const ext = this.running?.renderer.getContext().getExtension('WEBGL_lose_context');
        if (!ext) return false;
        ext.loseContext();
        setTimeout(() => ext.restoreContext(), 500);
        return true;
      },
      stopCamera: () => this.running?.visitors?.stopCameraTrack() ?? false,
      reloadShow: (text) => this.reloadShow(text),
      deskStatus: () => this.running?.desk?.status() ?? 'none',
      recording: () => this.lastRecording,
      replay: () => this.replayState,
    };
    window.sitter = hooks;
  }

  private watchShowInDev(): void {
    if (!import.meta.hot) return;
    import.meta.hot.on('sitter:show', (data: { name?: string }) => {
      if (data.name !== this.config.show) return;
      void fetchShow(this.config.show, false).then((r) => (r.ok ? this.reloadShow(r.text) : this.say(`Show not reloaded: ${r.errors[0] ?? ''}`)));
    });
  }

  dispose(): void {
    this.disposed = true;
    const r = this.running;
    this.running = null;
    if (r) {
      r.loop.stop();
      r.heartbeat?.dispose();
      r.wakeLock.dispose();
      r.stateSync?.dispose();
      r.desk?.dispose();
      r.midi?.dispose();
      r.visitors?.dispose();
      this.pipeline?.pause(true);
      r.generator.dispose();
      r.hud.dispose();
      r.credits.dispose();
      r.cueReporter?.dispose();
      r.renderer.dispose();
    }
    this.status.dispose();
    this.errors.dispose();
    this.offKeys();
    this.offTempo();
    this.recorder.dispose();
    this.notice.remove();
    delete window.sitter;
  }
}

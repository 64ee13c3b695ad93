import { parseDirections, type LatentDirection } from '../core/latent/directions.ts';
import { Walker } from '../core/latent/walker.ts';
import { ParameterBus } from '../core/params/bus.ts';
import { PARAMS } from '../core/params/catalogue.ts';
import { applyInitial, CueEngine, creditsVisible, unsteerable, type Show } from '../core/show/index.ts';
import { clockFromMilliseconds, type Clock } from '../core/clock.ts';
import { backendPreference, createGenerator, GenerationQueue, reportGeneratorStatus, type Generator, type TensorMemory } from '../generator/index.ts';
import { CreditsOverlay, Hud, StatusScreen, createSitterRenderer, type SitterRenderer } from '../render/index.ts';
import { demoteSoftwareWebGpu } from './backend-order.ts';
import { Desk } from './desk.ts';
import type { SitterDebug } from './debug-hooks.ts';
import { ErrorReporter } from './error-reporting.ts';
import { FrameLoop } from './frame-loop.ts';
import { Heartbeat, heapBytes, type Vitals } from './heartbeat.ts';
import type { PageConfig } from './page-config.ts';
import { PortraitPipeline } from './portrait-pipeline.ts';
import { fetchShow, parseShowText } from './show-source.ts';
import { StateSync } from './state-sync.ts';
import { Visitors } from './visitors.ts';
import { ScreenWakeLock } from './wake-lock.ts';

type Phase = 'loading' | 'running' | 'recovering' | 'error';

/** Seconds between attempts to load a model that failed (a gallery technician may be copying it in). */
const MODEL_RETRY_SECONDS = 10;

/**
 * The composition root: builds every part from a validated show and runs the one flow
 * inputs → bus → walker → generator → renderer → screen. Owns start, recovery and dispose.
 */
export class SitterApp {
  private readonly bus = new ParameterBus(PARAMS);
  private readonly clock: Clock = clockFromMilliseconds(() => performance.now());
  private readonly status: StatusScreen;
  private readonly errors: ErrorReporter;
  private readonly notice: HTMLDivElement;
  private phase: Phase = 'loading';
  private show: Show | null = null;
  private renderer: SitterRenderer | null = null;
  private hud: Hud | null = null;
  private credits: CreditsOverlay | null = null;
  private generator: Generator | null = null;
  private queue: GenerationQueue | null = null;
  private pipeline: PortraitPipeline | null = null;
  private walker: Walker | null = null;
  private cues: CueEngine | null = null;
  private desk: Desk | null = null;
  private visitors: Visitors | null = null;
  private stateSync: StateSync | null = null;
  private heartbeat: Heartbeat | null = null;
  private wakeLock: ScreenWakeLock | null = null;
  private loop: FrameLoop | null = null;
  private startedAt = 0;
  private lastStatusMs = 0;
  /** Sampled with the status parameters (once a second): tf.memory() is too costly to call per heartbeat read. */
  private tensorMemory: TensorMemory = { tensors: 0, bytes: 0 };
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly offKeys: () => void;

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
    };
    window.addEventListener('keydown', onKey);
    this.offKeys = () => window.removeEventListener('keydown', onKey);
  }

  async start(): Promise<void> {
    this.status.show();
    this.status.expect('show', `Show "${this.config.show}"`);
    this.status.expect('model', 'Portrait model');
    this.status.step('show', `Show "${this.config.show}"`);
    const loaded = await fetchShow(this.config.show, this.config.kiosk);
    if (!loaded.ok) {
      this.phase = 'error';
      this.status.fail('show', new Error(loaded.errors.join('\n')));
      this.errors.report('error', `show "${this.config.show}" refused`, loaded.errors.join('\n'));
      return;
    }
    this.status.done('show');
    const show = loaded.show;
    this.show = show;
    applyInitial(show, this.bus);

    this.renderer = createSitterRenderer({ bus: this.bus, container: this.stage, clock: this.clock });
    this.renderer.on('contextlost', () => this.contextLost());
    this.renderer.on('contextrestored', () => void this.contextRestored());
    this.hud = new Hud(document.body, this.bus);
    this.credits = new CreditsOverlay(document.body, this.bus);

    this.cues = new CueEngine(show, this.bus, this.clock);
    if (this.config.wsUrl) {
      this.desk = new Desk({
        wsUrl: this.config.wsUrl,
        bus: this.bus,
        cues: this.cues,
        feedbackRateHz: show.osc.feedback?.rateHz ?? 30,
        log: (level, m) => this.errors.report(level, m),
      });
    }
    if (this.config.kiosk) {
      this.stateSync = new StateSync(show.name, this.bus, this.cues, show.cues.length, this.desk?.learn ?? null);
      const r = await this.stateSync.restore();
      if (r.warning) this.errors.report('warn', r.warning);
      if (!r.restored && show.startCue !== null) this.cues.goto(show.startCue);
    } else if (show.startCue !== null) {
      this.cues.goto(show.startCue);
    }
    if (show.pose.enabled) {
      this.visitors = new Visitors({ show, bus: this.bus, container: this.stage, onNotice: (t) => this.say(t), log: (l, m) => this.errors.report(l, m) });
      void this.visitors.start();
    }

    this.startedAt = performance.now();
    this.loop = new FrameLoop((now, dt) => this.frame(now, dt));
    this.loop.start();
    if (this.config.kiosk) {
      this.heartbeat = new Heartbeat(() => this.vitals());
      this.heartbeat.start();
    }
    this.wakeLock = new ScreenWakeLock();
    this.installDebugHooks();
    this.watchShowInDev();
    await this.loadModel();
  }

  private async loadModel(): Promise<void> {
    const show = this.show;
    const renderer = this.renderer;
    if (!show || !renderer) return;
    this.phase = this.phase === 'recovering' ? 'recovering' : 'loading';
    this.status.show();
    this.status.step('model', `Portrait model "${show.model}"`);
    try {
      const pref = backendPreference(location.search, show.backend);
      for (const w of pref.warnings) this.errors.report('warn', w);
      // An explicit ?backend= is obeyed as given; otherwise a software WebGPU adapter yields to WebGL.
      const order = new URLSearchParams(location.search).has('backend') ? pref.order : await demoteSoftwareWebGpu(pref.order);
      const generator = await createGenerator({
        modelUrl: `/models/${show.model}/`,
        upscalerUrl: '/models/upscale-x4/',
        upscaleMode: () => this.bus.string('layout/upscale'),
        backends: order,
        gl: renderer.getContext(),
        resetRendererState: () => renderer.resetState(),
        onProgress: (p) => this.status.progress('model', p.phase === 'ready' ? 1 : p.phase === 'warmup' ? 0.8 + 0.2 * p.fraction : p.phase === 'weights' ? 0.2 + 0.6 * p.fraction : 0.1),
        onDeviceLost: (loss) => {
          this.errors.report('warn', `GPU device lost (${loss.backend}): ${loss.reason}`);
          void this.rebuildGenerator();
        },
        log: (m) => this.errors.report('info', m),
      });
      this.generator = generator;
      this.queue = new GenerationQueue(generator, { onError: (e) => this.errors.report('warn', `generation failed: ${e instanceof Error ? e.message : String(e)}`) });
      if (!this.walker) {
        const card = generator.card;
        const directions = await this.loadDirections(show.model, card.latent.size);
        for (const line of unsteerable(show, directions.length)) this.errors.report('warn', `steering has no effect: ${line}`);
        this.walker = new Walker({
          size: card.latent.size,
          ...(card.mean ? { mean: Float32Array.from(card.mean) } : {}),
          directions,
        });
      }
      if (this.pipeline) this.pipeline.setQueue(this.queue);
      else this.pipeline = new PortraitPipeline(this.walker, this.queue, renderer, this.bus, () => this.clock.now());
      this.pipeline.pause(false);
      this.credits?.setCard({ credits: generator.card.provenance.credits, licence: generator.card.provenance.licence });
      this.status.done('model');
      this.status.hide();
      this.phase = 'running';
      this.tensorMemory = reportGeneratorStatus(this.bus, generator);
    } catch (e) {
      this.phase = 'error';
      this.status.fail('model', e);
      this.errors.report('error', `model "${show.model}" could not load: ${e instanceof Error ? e.message : String(e)}; retrying in ${MODEL_RETRY_SECONDS} s`);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        void this.loadModel();
      }, MODEL_RETRY_SECONDS * 1000);
    }
  }

  private async loadDirections(model: string, size: number): Promise<readonly LatentDirection[]> {
    try {
      const res = await fetch(`/models/${model}/directions.json`);
      if (!res.ok) return [];
      const parsed = parseDirections(await res.json(), size);
      if (parsed.ok) return parsed.value.directions;
      this.errors.report('warn', `models/${model}/directions.json ignored: ${parsed.errors.join('; ')}`);
    } catch {
      // No directions: steering sliders do nothing, the walk runs as usual.
    }
    return [];
  }

  private disposeGenerator(): void {
    this.pipeline?.pause(true);
    this.queue?.dispose();
    this.queue = null;
    try {
      this.generator?.dispose();
    } catch (e) {
      this.errors.report('warn', `generator dispose after loss: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.generator = null;
  }

  private contextLost(): void {
    this.phase = 'recovering';
    this.errors.report('warn', 'WebGL context lost; waiting for it to come back');
    this.disposeGenerator();
    this.say('The graphics context was lost; recovering…');
  }

  private async contextRestored(): Promise<void> {
    this.errors.report('info', 'WebGL context restored; rebuilding the generator');
    await this.rebuildGenerator();
    this.say(null);
  }

  private async rebuildGenerator(): Promise<void> {
    this.phase = 'recovering';
    this.disposeGenerator();
    await this.loadModel();
  }

  private frame(nowS: number, dt: number): void {
    const nowMs = nowS * 1000;
    try {
      this.desk?.frame(Date.now());
      this.cues?.tick();
      this.visitors?.frame(dt);
      if (this.show?.credits) this.bus.set('credits/visible', creditsVisible(this.show.credits, (nowMs - this.startedAt) / 1000), 'show');
      this.bus.tick(dt);
      this.pipeline?.tick(dt);
      const showTime = this.clock.now();
      this.renderer?.render(showTime);
      this.hud?.update(showTime);
      this.credits?.update();
      this.stateSync?.tick(nowMs);
      if (nowMs - this.lastStatusMs > 1000) {
        this.lastStatusMs = nowMs;
        this.bus.report('status/fps', this.loop?.fps() ?? 0);
        this.bus.report('status/cue', this.cues?.current ?? -1);
        this.tensorMemory = reportGeneratorStatus(this.bus, this.generator);
      }
    } catch (e) {
      // One bad frame is logged and skipped; the installation goes on.
      this.errors.report('error', `frame: ${e instanceof Error ? e.message : String(e)}`, e instanceof Error ? e.stack : undefined);
    }
  }

  private say(text: string | null): void {
    this.notice.textContent = text ?? '';
    this.notice.style.display = text ? 'block' : 'none';
  }

  vitals(): Vitals {
    const s = this.visitors?.states() ?? { camera: 'off', pose: 'off' };
    const info = this.renderer?.three.info.memory;
    return {
      fps: this.loop?.fps() ?? 0,
      tensors: this.bus.number('status/tensors'),
      tensorBytes: this.tensorMemory.bytes,
      heapBytes: heapBytes(),
      backend: this.bus.string('status/backend'),
      camera: s.camera,
      pose: s.pose,
      cue: this.cues?.current ?? -1,
      phase: this.phase,
      textures: info ? info.textures : 0,
    };
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
    this.visitors?.setShow(r.show);
    this.show = r.show;
    this.say(null);
    return { ok: true, errors: [] };
  }

  private installDebugHooks(): void {
    const hooks: SitterDebug = {
      phase: () => this.phase,
      vitals: () => this.vitals(),
      values: () => this.bus.snapshot(),
      framesPresented: () => this.pipeline?.framesPresented() ?? 0,
      loseContext: () => {
        const ext = this.renderer?.getContext().getExtension('WEBGL_lose_context');
        if (!ext) return false;
        ext.loseContext();
        setTimeout(() => ext.restoreContext(), 500);
        return true;
      },
      stopCamera: () => this.visitors?.stopCameraTrack() ?? false,
      reloadShow: (text) => this.reloadShow(text),
      deskStatus: () => this.desk?.status() ?? 'none',
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
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.loop?.stop();
    this.heartbeat?.dispose();
    this.wakeLock?.dispose();
    this.stateSync?.dispose();
    this.desk?.dispose();
    this.visitors?.dispose();
    this.disposeGenerator();
    this.hud?.dispose();
    this.credits?.dispose();
    this.renderer?.dispose();
    this.status.dispose();
    this.errors.dispose();
    this.offKeys();
    this.notice.remove();
    delete window.sitter;
  }
}

import type { SitterBus } from '../core/params/catalogue.ts';
import type { PresenceMode } from '../core/pose/presence.ts';
import { applyAttract, applyMappings, type Show } from '../core/show/index.ts';
import { Camera, type CameraStatus } from '../input/camera.ts';
import { PoseInput } from '../input/pose.ts';
import { PoseOverlay } from '../input/pose-overlay.ts';
import { errorMessage } from '../core/error-message.ts';

export interface VisitorsOptions {
  readonly show: Show;
  readonly bus: SitterBus;
  readonly container: HTMLElement;
  /** A readable line for the operator when the camera or the landmarker is unavailable. */
  readonly onNotice: (text: string | null) => void;
  readonly log: (level: 'info' | 'warn', message: string) => void;
}

/**
 * Visitors in front of the camera: camera → pose landmarker → features → show mappings on the bus. Frames stay in
 * this page (the landmarker reads the video element; nothing is stored or sent). Without a camera the show runs in
 * attract mode and says so on the operator's notice line.
 */
export class Visitors {
  private camera: Camera | null = null;
  private pose: PoseInput | null = null;
  private overlay: PoseOverlay | null = null;
  private mode: PresenceMode = 'attract';
  private cameraState = 'off';
  private poseState = 'off';
  private unsub: Array<() => void> = [];
  private disposed = false;
  /** The show's mappings and idle look; replaced by a hot reload without restarting the camera. */
  private show: Show;

  constructor(private readonly o: VisitorsOptions) {
    this.show = o.show;
    // Nobody is there until the landmarker says so: start in attract mode with the idle look.
    applyAttract(false, o.show, o.bus);
  }

  states(): { camera: string; pose: string } {
    return { camera: this.cameraState, pose: this.poseState };
  }

  async start(): Promise<void> {
    const { show, bus, container } = this.o;
    const p = show.pose;
    this.overlay = new PoseOverlay({
      mirror: true,
      ...(p.privacyNotice.enabled ? { privacyNotice: p.privacyNotice.text } : {}),
    });
    container.append(this.overlay.element);
    this.camera = new Camera({
      ...(p.camera.deviceId ? { device: p.camera.deviceId } : p.camera.label ? { device: p.camera.label } : {}),
      width: p.camera.width,
      height: p.camera.height,
    });
    this.unsub.push(this.camera.onStatus((s) => this.cameraChanged(s)));
    this.poseState = 'loading';
    try {
      this.pose = await PoseInput.create({
        modelPath: `/models/pose/pose_landmarker_${p.model === 'heavy' ? 'full' : p.model}.task`,
        delegate: p.delegate,
        numPoses: p.maxPeople,
        bus,
        features: {
          mirror: true,
          enterSeconds: p.presence.enterSeconds,
          leaveSeconds: p.presence.leaveSeconds,
          holdSeconds: p.heldSeconds,
          filter: { minCutoff: p.filter.minCutoff, beta: p.filter.beta, dCutoff: p.filter.derivativeCutoff },
        },
      });
    } catch (e) {
      this.poseState = 'failed';
      const msg = errorMessage(e);
      this.o.log('warn', `pose landmarker unavailable: ${msg}`);
      this.o.onNotice('Visitor tracking is unavailable; the portraits walk on their own.');
      return;
    }
    if (this.disposed) {
      this.pose.dispose();
      return;
    }
    this.poseState = 'ready';
    const status = await this.camera.start();
    this.cameraChanged(status);
  }

  private cameraChanged(s: CameraStatus): void {
    this.cameraState = s.state;
    if (s.state === 'live' && this.pose && this.camera) {
      this.pose.start(this.camera.video);
      this.poseState = 'running';
      this.o.onNotice(null);
    } else if (s.state !== 'live' && s.state !== 'starting') {
      this.pose?.stop();
      if (this.poseState === 'running') this.poseState = 'ready';
      this.o.onNotice(`Camera: ${'message' in s && typeof s.message === 'string' ? s.message : s.state}. The portraits walk on their own.`);
    }
  }

  /** Once per display frame: the latest features move the mapped parameters. */
  frame(dt: number): void {
    const update = this.pose?.last();
    const mode: PresenceMode = this.pose?.mode() ?? 'attract';
    if (mode !== this.mode) {
      this.mode = mode;
      applyAttract(mode === 'engage', this.show, this.o.bus);
    }
    if (update && mode === 'engage') applyMappings(update.features, this.show.pose.mappings, this.o.bus, dt);
    if (this.overlay) {
      const on = this.o.bus.bool('hud/skeleton');
      this.overlay.setVisible(on);
      if (on) this.overlay.draw(update?.people ?? []);
    }
  }

  setShow(show: Show): void {
    this.show = show;
    applyAttract(this.mode === 'engage', show, this.o.bus);
  }

  /** For fault injection: stop the camera's track as an unplug would. */
  stopCameraTrack(): boolean {
    const stream = this.camera?.video.srcObject;
    if (!(stream instanceof MediaStream)) return false;
    for (const t of stream.getVideoTracks()) {
      t.stop();
      t.dispatchEvent(new Event('ended'));
    }
    return true;
  }

  dispose(): void {
    this.disposed = true;
    for (const u of this.unsub.splice(0)) u();
    this.pose?.dispose();
    this.camera?.dispose();
    this.overlay?.dispose();
  }
}

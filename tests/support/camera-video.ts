/**
 * Browser side: opens the (fake) camera at the size the y4m was written at and resolves once frames arrive.
 * Shared by the harness test that checks the fake camera and the pose benchmark that feeds on it.
 */
export async function cameraVideo(): Promise<{ video: HTMLVideoElement; stop: () => void }> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 448, height: 448 } });
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play();
  while (video.videoWidth === 0) await new Promise((r) => setTimeout(r, 20));
  return { video, stop: () => stream.getTracks().forEach((t) => t.stop()) };
}

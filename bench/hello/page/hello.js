// Reports the first paint the same way the app reports its first meaningful paint: the
// content is in the DOM, a frame has been drawn (requestAnimationFrame, then the next task),
// and the wall-clock time of that moment goes to Rust.
const invoke = (cmd, args) => window.__TAURI_INTERNALS__.invoke(cmd, args);
requestAnimationFrame(() => {
  const next = new MessageChannel();
  next.port1.onmessage = () => void invoke('painted', { atUnixMs: Date.now() });
  next.port2.postMessage(null);
});

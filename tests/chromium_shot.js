// tests/chromium_shot.js -- a screenshot of a PDF in headless Chromium's
// PDF viewer, through the DevTools protocol (not a test: for looking at a
// filled pack, docs/forms.md "Seen in a browser"). `chromium --screenshot`
// alone captures the window before the viewer has drawn (a grey frame);
// here the page is captured WAIT_MS after navigating.
//   chromium --headless=new --no-sandbox --remote-debugging-port=9333 \
//            --user-data-dir=/tmp/prof about:blank &
//   node --experimental-websocket tests/chromium_shot.js 9333 \
//        file:///abs/path/filled.pdf shot.png 10000
// (Node 20 needs --experimental-websocket for its WebSocket client.)
const [port, url, out, wait] = process.argv.slice(2);
const fs = require('fs');
(async () => {
  const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = list.find(t => t.type === 'page');
  const ws = new WebSocket(page.webSocketDebuggerUrl);
  let id = 0; const pending = {};
  const send = (method, params = {}) => new Promise(r => { const i = ++id; pending[i] = r; ws.send(JSON.stringify({id: i, method, params})); });
  ws.onmessage = e => { const m = JSON.parse(e.data); if (m.id && pending[m.id]) { pending[m.id](m); delete pending[m.id]; } };
  await new Promise(r => ws.onopen = r);
  await send('Page.enable');
  await send('Emulation.setDeviceMetricsOverride', {width: 1400, height: 1000, deviceScaleFactor: 1, mobile: false});
  await send('Page.navigate', {url});
  await new Promise(r => setTimeout(r, +wait));
  const shot = await send('Page.captureScreenshot', {format: 'png'});
  if (!shot.result) { console.error(JSON.stringify(shot)); process.exit(1); }
  fs.writeFileSync(out, Buffer.from(shot.result.data, 'base64'));
  ws.close(); process.exit(0);
})().catch(e => { console.error(e); process.exit(1); });

/// <reference lib="dom" />
// Runs inside the webview: draws the Mermaid source embedded in the page, and redraws when the extension
// posts a new one. Mermaid is the bundled `mermaid.min.js`, loaded before this script as a global.

interface MermaidGlobal {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}
declare const mermaid: MermaidGlobal;

let renders = 0;

async function draw(text: string): Promise<void> {
  const target = document.getElementById('erd');
  const error = document.getElementById('error');
  if (!target || !error) return;
  document.body.dataset.state = 'loading';
  try {
    renders += 1;
    const { svg } = await mermaid.render(`erd-svg-${renders}`, text);
    target.innerHTML = svg;
    error.textContent = '';
    document.body.dataset.state = 'rendered';
  } catch (cause) {
    error.textContent = `The ER diagram could not be drawn: ${String(cause)}`;
    document.body.dataset.state = 'error';
  }
}

mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', er: { useMaxWidth: false } });
void draw(document.getElementById('diagram')?.textContent ?? '');

window.addEventListener('message', (event: MessageEvent<{ type?: string; mermaid?: string }>) => {
  if (event.data.type === 'erd' && typeof event.data.mermaid === 'string') void draw(event.data.mermaid);
});

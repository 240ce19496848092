// Sharing and export for the views: copy a link (with a fallback where the clipboard API is missing or
// refused), download a file made in the page (a Blob URL: nothing goes to another origin), a chart as PNG,
// metrics as CSV, and reading a chosen file. Only DOM plumbing: the content comes from the views.
import { h } from './shell/dom.js';

/**
 * Copies text to the clipboard. Resolves to 'copied' or 'manual': without the clipboard API (an http:// host
 * other than localhost, an old browser) or when it refuses, shows the text selected in a field instead, so
 * the reader copies it with Ctrl+C or the phone's menu. container: where that field goes.
 */
export async function copyText(text, container) {
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard API');
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    showManualCopy(text, container);
    return 'manual';
  }
}

function showManualCopy(text, container) {
  const input = h('input', { type: 'text', readonly: true, value: text, class: 'share-manual__field', 'aria-label': 'Link to copy' });
  const close = h('button', { type: 'button', onclick: () => box.remove() }, 'Done');
  const box = h(
    'div',
    { class: 'share-manual note', role: 'group', 'aria-label': 'Copy the link' },
    h(
      'p',
      { class: 'small' },
      "This browser did not let the page copy. Select the link below and copy it (Ctrl+C, ⌘C, or your phone's copy menu):",
    ),
    h('div', { class: 'share-manual__row' }, input, close),
  );
  container.querySelector('.share-manual')?.remove();
  container.prepend(box);
  input.focus();
  input.select();
}

/** Saves a Blob as a file named `name` through a temporary Blob URL. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // Chromium starts the download from the click; the URL must outlive that moment, not the page.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A canvas as a PNG Blob. */
export function canvasBlob(canvas) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the image'))), 'image/png');
  });
}

/**
 * A chart as a picture that stands alone: a title above the plot's canvas and a legend of coloured lines
 * below it, on the theme's background (uPlot draws its legend in HTML, so it is drawn here again).
 * legend: [{ label, color, dash? }]; colors: { surface, fg }.
 */
export function composeChart({ title, canvas, legend = [], colors }) {
  const ratio = canvas.width / Math.max(1, canvas.clientWidth || canvas.width);
  const pad = Math.round(8 * ratio);
  const titleH = Math.round(22 * ratio);
  const rowH = Math.round(18 * ratio);
  const perRow = Math.max(1, Math.floor(canvas.width / (150 * ratio)));
  const legendH = legend.length ? Math.ceil(legend.length / perRow) * rowH + pad : 0;
  const out = document.createElement('canvas');
  out.width = canvas.width + 2 * pad;
  out.height = titleH + canvas.height + legendH + 2 * pad;
  const ctx = out.getContext('2d');
  ctx.fillStyle = colors.surface;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = colors.fg;
  ctx.font = `600 ${Math.round(13 * ratio)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, pad, pad + titleH / 2);
  ctx.drawImage(canvas, pad, pad + titleH);
  ctx.font = `${Math.round(12 * ratio)}px system-ui, sans-serif`;
  legend.forEach((item, i) => {
    const x = pad + (i % perRow) * 150 * ratio;
    const y = pad + titleH + canvas.height + pad + Math.floor(i / perRow) * rowH + rowH / 2;
    ctx.strokeStyle = item.color;
    ctx.lineWidth = 2 * ratio;
    ctx.setLineDash((item.dash ?? []).map((d) => d * ratio));
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 22 * ratio, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = colors.fg;
    ctx.fillText(item.label, x + 28 * ratio, y);
  });
  return out;
}

/**
 * CSV text: a header row and columns of equal or shorter length (missing cells stay empty). Numbers keep
 * every digit (String(x) reads back as the same double); NaN and infinities become empty cells.
 */
export function csvText(header, columns) {
  const cell = (v) => {
    if (v === undefined || v === null) return '';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = Math.max(0, ...columns.map((c) => c.length));
  const lines = [header.map(cell).join(',')];
  for (let r = 0; r < rows; ++r) lines.push(columns.map((c) => cell(c[r])).join(','));
  return `${lines.join('\n')}\n`;
}

/** A hidden file input that calls onText(text, name) with the chosen file's text; .open() shows the picker. */
export function filePicker(accept, onText, onError) {
  const input = h('input', {
    type: 'file',
    accept,
    hidden: true,
    onchange: async () => {
      const file = input.files?.[0];
      input.value = '';
      if (!file) return;
      try {
        onText(await file.text(), file.name);
      } catch (error) {
        onError(`${file.name} could not be read: ${error?.message ?? error}`);
      }
    },
  });
  return { input, open: () => input.click() };
}

/** A file name stamp: 2024-05-01-1432. */
export function stamp(date = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}`;
}

// @ts-check
// Taking a run away: files to download (the engine writes the CSV and JSON, the same as the
// CLI's --csv and --json), each chart as a PNG with its title and legend, and the run's link.

import { pixelRatio } from './canvas.js';

/** Offers `content` to the person as the file `name`. */
export function download(name, content, type) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const PAD = 16; // CSS px, as are the sizes below
const FONT = '16px system-ui, sans-serif';
const LEGEND_COLUMN = 260;

/**
 * The chart drawn in `container` (its canvas) on white, under `title` (`heading · run name`,
 * set on two lines), over a legend of
 * `models` (`[{label, color, dash}]`): a picture for slides and handouts. Title and legend are
 * drawn at the chart canvas's own scale (uPlot draws it at the device's pixel ratio), so their
 * type keeps its size beside the axes' on any screen. Resolves to a PNG Blob, or null when the
 * chart has not been drawn.
 */
export function chartPng(container, title, models) {
  const plot = container.querySelector('canvas');
  if (!plot) return Promise.resolve(null);
  // Device pixels per CSS pixel of the chart as drawn.
  const scale = plot.clientWidth ? plot.width / plot.clientWidth : pixelRatio();
  const [plotWidth, plotHeight] = [plot.width / scale, plot.height / scale];
  const columns = Math.max(1, Math.floor(plotWidth / LEGEND_COLUMN));
  const legendRows = Math.ceil(models.length / columns);
  const [width, height] = [plotWidth + 2 * PAD, plotHeight + 3 * PAD + 48 + legendRows * 24];
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  ctx.scale(scale, scale);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#111827';
  ctx.font = `bold ${FONT}`;
  ctx.textBaseline = 'top';
  // The title, then the run's name on a line of its own (it would not fit beside it).
  const [heading, ...rest] = title.split(' · ');
  ctx.fillText(heading, PAD, PAD, width - 2 * PAD);
  ctx.font = FONT;
  ctx.fillText(rest.join(' · '), PAD, PAD + 22, width - 2 * PAD);
  ctx.drawImage(plot, PAD, 2 * PAD + 32, plotWidth, plotHeight);
  ctx.font = FONT;
  models.forEach((m, i) => {
    const x = PAD + (i % columns) * LEGEND_COLUMN;
    const y = plotHeight + 3 * PAD + 32 + Math.floor(i / columns) * 24;
    // A short stretch of the curve itself, dash and all: some curves share a colour.
    ctx.strokeStyle = m.color;
    ctx.lineWidth = 4;
    ctx.setLineDash((m.dash ?? []).map((d) => d / scale)); // uPlot's dashes are in device pixels
    ctx.beginPath();
    ctx.moveTo(x, y + 9);
    ctx.lineTo(x + 30, y + 9);
    ctx.stroke();
    ctx.fillStyle = '#111827';
    ctx.fillText(m.label, x + 38, y);
  });
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

/** Puts `text` on the clipboard; resolves to whether it worked (a page without the
 * permission, or an insecure context, has no clipboard). */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

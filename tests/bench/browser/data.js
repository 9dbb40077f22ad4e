// The real training data for every engine in the benchmark: the lab's own Fashion-MNIST
// training files, as staged in dist/data under the names the engine's catalog gives.
import init, { catalog } from '/dist/pkg/weight_init_lab.js';

const IMAGE_PIXELS = 784;

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The bytes of an IDX file that may be gzip-compressed (the page accepts both). */
async function gunzip(bytes) {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The training images and labels file: `files` holds their bytes as fetched (for the lab's
 * engine, which parses them itself); `x` the first `limit` images as pixels / 255
 * (Float32Array, `count` × 784, row-major) and `y` their labels (Int32Array), for the peers.
 */
export async function loadTraining(limit) {
  await init();
  const names = catalog().data_files;
  const [images, labels] = await Promise.all(
    [names.train_images, names.train_labels].map((name) => fetchBytes(`/dist/data/${name}`)),
  );
  const [rawImages, rawLabels] = await Promise.all([gunzip(images), gunzip(labels)]);
  // IDX headers: 16 bytes before the images (magic, count, rows, cols), 8 before the labels.
  const count = Math.min(limit, new DataView(rawLabels.buffer).getUint32(4));
  const x = new Float32Array(count * IMAGE_PIXELS);
  for (let i = 0; i < x.length; i++) x[i] = rawImages[16 + i] / 255;
  const y = Int32Array.from(rawLabels.subarray(8, 8 + count));
  return { files: { images, labels }, x, y, count };
}

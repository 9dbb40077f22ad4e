// @ts-check
// The data picker and drop zone: reads a person's IDX files and hands their bytes on. The
// worker parses them; a bad file only brings an error message, the page goes on.

/** Calls `onFiles([{name, bytes}])` when files are chosen in `input` or dropped on `zone`. */
export function watchDataFiles(input, zone, onFiles) {
  const read = async (fileList) => {
    const files = [...fileList];
    if (files.length === 0) return;
    const loaded = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    onFiles(loaded);
  };
  input.addEventListener('change', () => {
    read(input.files);
    input.value = ''; // choosing the same file again fires again
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    read(event.dataTransfer.files);
  });
}

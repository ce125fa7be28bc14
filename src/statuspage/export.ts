import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Writes the page's files into `dir`. Each file is written beside its final
 * name and renamed over it, so a web server reading the folder never serves a
 * half-written file.
 */
export async function writeExport(dir: string, files: Map<string, string>): Promise<number> {
  const root = path.resolve(dir);
  for (const [name, body] of files) {
    const target = path.resolve(root, name);
    if (!target.startsWith(root + path.sep)) throw new Error(`refusing to write outside ${root}: ${name}`);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, target);
  }
  return files.size;
}

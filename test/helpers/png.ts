import { createCanvas, loadImage } from '@napi-rs/canvas';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Checks a PNG's signature and first chunk (IHDR); returns its size. Throws on anything else. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  if (png.readUInt32BE(8) !== 13 || png.subarray(12, 16).toString('latin1') !== 'IHDR')
    throw new Error('not a PNG: IHDR is not the first chunk');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The RGBA pixels of a PNG (decoded by Skia, independently of how it was encoded). */
export async function pngPixels(png: Buffer): Promise<Uint8ClampedArray> {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, img.width, img.height).data;
}

/** Pixels noticeably darker than white. */
export function ink(pixels: Uint8ClampedArray): number {
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4) if ((pixels[i] ?? 255) < 200) n++;
  return n;
}

import type { FastifyRequest } from 'fastify';
import { AppError, badRequest } from './app-error.js';

/** Upload limit for imports (Excel, DHCP leases): big enough for a campus registry, small enough to refuse junk early. */
export const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

export interface Upload {
  filename: string;
  mimetype: string;
  data: Buffer;
}

/**
 * The one file of a multipart upload (field `file`), whole in memory. Over the size limit or
 * missing, the request is refused before anything is parsed; type checks are the caller's (by
 * content, since names and MIME types are whatever the browser says).
 */
export async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (!request.isMultipart()) throw badRequest('upload.not_multipart', 'send the file as multipart/form-data in the field "file"');
  const part = await request.file();
  if (!part) throw badRequest('upload.missing', 'no file in the upload');
  const data = await part.toBuffer().catch((err: unknown) => {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(413, 'upload.too_large', `file is larger than ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MiB`, { limitBytes: UPLOAD_LIMIT_BYTES });
    }
    throw err;
  });
  return { filename: part.filename, mimetype: part.mimetype, data };
}

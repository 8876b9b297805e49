import { Type } from 'typebox';
import { DateTime } from './common-schemas.js';

const PublicId = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$', description: 'An upload id.' });
const KeyText = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });

/** The upload a share is created with (POST /shares). */
export const UploadReference = Type.Object(
  {
    id: PublicId,
    key: { ...KeyText, description: 'The upload_key POST /uploads answered.' },
  },
  {
    additionalProperties: false,
    description: 'A complete upload of the files: attached to this share only.',
  },
);

/** What a reveal of a share with files adds. */
export const RevealedFiles = Type.Object({
  download_key: Type.String({ description: 'POST /downloads/{download_key} once, before expires_at.' }),
  bytes: Type.Integer({ description: 'Stored (encrypted) bytes of all the files.' }),
  expires_at: DateTime,
});

export const CreateUploadBody = Type.Object(
  { bytes: Type.Integer({ minimum: 0, description: 'Total stored (encrypted) bytes of the files.' }) },
  { additionalProperties: false },
);

export const CreatedUploadResponse = Type.Object({
  upload_id: Type.String(),
  upload_key: Type.String({ description: 'Send as hush-upload-key with each part; shown once.' }),
  part_bytes: Type.Integer({ description: 'Every part but the last has exactly this size.' }),
  expires_at: DateTime,
});

export const UploadPartParams = Type.Object({
  upload_id: Type.String({ maxLength: 64 }),
  n: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
});

export const UploadKeyHeaders = Type.Object({ 'hush-upload-key': Type.String({ maxLength: 128 }) });

export const DownloadParams = Type.Object({ download_key: Type.String({ maxLength: 128 }) });

/** Position after the last item of a page, newest first: (createdAt, id) of that item. */
export interface NotificationCursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to clients: base64url of `<epoch ms>:<id>`. */
export function encodeCursor(cursor: NotificationCursor): string {
  return Buffer.from(`${cursor.createdAt.getTime()}:${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor, or undefined when the text is not one this service produced. */
export function decodeCursor(text: string): NotificationCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  const match = /^(\d{1,15}):(.+)$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match || !UUID.test(match[2]!)) return undefined;
  return { createdAt: new Date(Number(match[1])), id: match[2]! };
}

import type { Channel, DeliveryStatus, NotificationKind } from '../domain/notification';

/** A channel's delivery as the customer's client sees it. */
export interface ChannelView {
  channel: Channel;
  status: DeliveryStatus;
  /** Why it was skipped or failed. */
  reason?: string;
  sentAt?: string;
}

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  orderId: string;
  title: string;
  body: string;
  createdAt: string;
  channels: ChannelView[];
}

export interface NotificationPage {
  items: NotificationView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

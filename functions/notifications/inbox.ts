// A user's inbox. Every read and write is keyed by the caller's own user id, so another user's notification
// is simply not found (404), never forbidden: its existence is not disclosed.
import { NotFoundError, UnprocessableError } from '#shared/errors';
import { alertStore, inboxStore } from './config';
import { notificationView } from './notify';

export async function listInbox(userId: string, query: { unread: boolean; limit: number; cursor?: string }) {
  const { notifications, nextCursor } = await inboxStore.listInbox(userId, query);
  return { notifications: notifications.map((n) => notificationView(n)), ...(nextCursor && { nextCursor }) };
}

export async function unreadCount(userId: string) {
  return { unread: await inboxStore.countUnread(userId) };
}

export async function getNotification(userId: string, notificationId: string) {
  const notification = await inboxStore.getNotification(userId, notificationId);
  if (!notification) throw new NotFoundError('Notification not found');
  const alert = notification.alertId ? await alertStore.getAlert(notification.alertId) : undefined;
  return notificationView(notification, alert);
}

export async function markRead(userId: string, notificationId: string) {
  const notification = await inboxStore.markRead(userId, notificationId, new Date().toISOString());
  if (!notification) throw new NotFoundError('Notification not found');
  return notificationView(notification);
}

export async function markAllRead(userId: string) {
  return { marked: await inboxStore.markAllRead(userId, new Date().toISOString()) };
}

/** For alerts: who acknowledged first and when; acknowledging stops the escalation for everyone. */
export async function acknowledge(userId: string, notificationId: string) {
  const notification = await inboxStore.getNotification(userId, notificationId);
  if (!notification) throw new NotFoundError('Notification not found');
  if (!notification.alertId) throw new UnprocessableError('This notification needs no acknowledgement');
  const alert = await alertStore.acknowledgeAlert(notification.alertId, userId, new Date().toISOString());
  const read = (await inboxStore.markRead(userId, notificationId, new Date().toISOString())) ?? notification;
  return notificationView(read, alert);
}

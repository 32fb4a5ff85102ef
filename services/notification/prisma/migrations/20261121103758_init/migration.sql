-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "contacts" (
    "user_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "customer_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "order_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "source_event_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "notification_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "message_id" TEXT,
    "recipient" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("notification_id","channel")
);

-- CreateTable
CREATE TABLE "inbox" (
    "message_id" UUID NOT NULL,
    "consumer_group" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("message_id","consumer_group")
);

-- CreateTable
CREATE TABLE "inbox_aggregate_version" (
    "consumer_group" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_aggregate_version_pkey" PRIMARY KEY ("consumer_group","aggregate_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notifications_source_event_id_key" ON "notifications"("source_event_id");

-- CreateIndex
CREATE INDEX "notifications_customer_newest_idx" ON "notifications"("customer_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "notifications_order_kind_key" ON "notifications"("order_id", "kind");

-- CreateIndex
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "inbox_processed_at_idx" ON "inbox"("processed_at");

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written (Prisma cannot declare CHECK constraints): the kinds, and the states a delivery can be in per channel.
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_kind_check"
    CHECK ("kind" IN ('order_confirmed', 'order_cancelled', 'payment_refunded'));

ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_status_check" CHECK (
    ("channel" = 'in_app' AND "status" = 'delivered')
    OR ("channel" = 'email' AND "status" IN ('pending', 'sent', 'skipped', 'failed'))
);
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_pending_due_check"
    CHECK ("status" <> 'pending' OR "next_attempt_at" IS NOT NULL);
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_sent_check"
    CHECK ("status" <> 'sent' OR ("sent_at" IS NOT NULL AND "message_id" IS NOT NULL));
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_reason_check"
    CHECK ("status" NOT IN ('skipped', 'failed') OR "reason" IS NOT NULL);
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_attempts_check"
    CHECK ("attempts" >= 0);

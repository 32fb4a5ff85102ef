-- CreateTable
CREATE TABLE "order_views" (
    "id" UUID NOT NULL,
    "customer_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "total_cents" BIGINT NOT NULL,
    "payment_status" TEXT NOT NULL,
    "payment_id" TEXT,
    "cancellation_reason" TEXT,
    "cancellation_detail" TEXT,
    "lines" JSONB NOT NULL,
    "timeline" JSONB NOT NULL,
    "version" INTEGER NOT NULL,
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "order_views_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "order_views_customer_placed_idx" ON "order_views"("customer_id", "placed_at" DESC, "id" DESC);

-- Written by hand (Prisma cannot declare CHECK constraints): what any fold of an order stream satisfies
ALTER TABLE "order_views"
    ADD CONSTRAINT "order_views_version_check" CHECK ("version" >= 1),
    ADD CONSTRAINT "order_views_total_cents_check" CHECK ("total_cents" >= 0),
    ADD CONSTRAINT "order_views_status_check" CHECK ("status" IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
    ADD CONSTRAINT "order_views_payment_status_check"
        CHECK ("payment_status" IN ('NONE', 'AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED'));

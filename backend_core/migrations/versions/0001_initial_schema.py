"""Initial schema of the billing core: customers to bills, payments, prepaid, outages, work orders.

Revision ID: 0001
Revises:
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('agents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agents')),
    sa.UniqueConstraint('username', name=op.f('uq_agents_username'))
    )
    op.create_table('customers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers'))
    )
    op.create_table('identity_checks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('session_id', sa.String(length=100), nullable=False),
    sa.Column('account_no', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_checks'))
    )
    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.create_index('ix_identity_checks_session', ['session_id', 'at'], unique=False)

    op.create_table('outages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outage_no', sa.String(length=24), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('feeder', sa.String(length=100), nullable=False),
    sa.Column('whole_feeder', sa.Boolean(), nullable=False),
    sa.Column('scope', sa.String(length=300), nullable=False),
    sa.Column('start', sa.DateTime(), nullable=False),
    sa.Column('end', sa.DateTime(), nullable=True),
    sa.Column('estimated_restore', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('notice_published_at', sa.DateTime(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outages')),
    sa.UniqueConstraint('outage_no', name=op.f('uq_outages_outage_no'))
    )
    with op.batch_alter_table('outages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outages_feeder'), ['feeder'], unique=False)

    op.create_table('service_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('district', sa.String(length=50), nullable=False),
    sa.Column('area_type', sa.String(length=10), nullable=False),
    sa.Column('feeder', sa.String(length=100), nullable=False),
    sa.Column('transformer_area', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_points'))
    )
    with op.batch_alter_table('service_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_points_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_points_feeder'), ['feeder'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_points_transformer_area'), ['transformer_area'], unique=False)

    op.create_table('tariffs',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('customer_class', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_tariffs'))
    )
    op.create_table('ticket_sequences',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_ticket_sequences'))
    )
    op.create_table('accounts',
    sa.Column('account_no', sa.String(length=13), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('service_point_id', sa.Integer(), nullable=False),
    sa.Column('customer_class', sa.String(length=20), nullable=False),
    sa.Column('tariff_code', sa.String(length=40), nullable=False),
    sa.Column('billing', sa.String(length=10), nullable=False),
    sa.Column('time_of_use', sa.Boolean(), nullable=False),
    sa.Column('persons', sa.SmallInteger(), nullable=True),
    sa.Column('low_income', sa.Boolean(), nullable=False),
    sa.Column('large_household_approved', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_accounts_customer_id_customers')),
    sa.ForeignKeyConstraint(['service_point_id'], ['service_points.id'], name=op.f('fk_accounts_service_point_id_service_points')),
    sa.ForeignKeyConstraint(['tariff_code'], ['tariffs.code'], name=op.f('fk_accounts_tariff_code_tariffs')),
    sa.PrimaryKeyConstraint('account_no', name=op.f('pk_accounts'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounts_service_point_id'), ['service_point_id'], unique=False)

    op.create_table('outage_areas',
    sa.Column('outage_id', sa.Integer(), nullable=False),
    sa.Column('transformer_area', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['outage_id'], ['outages.id'], name=op.f('fk_outage_areas_outage_id_outages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('outage_id', 'transformer_area', name=op.f('pk_outage_areas'))
    )
    op.create_table('bills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_no', sa.String(length=13), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('tariff_code', sa.String(length=40), nullable=False),
    sa.Column('kwh', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('tier1_kwh', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('tier2_kwh', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('tier3_kwh', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('power_factor', sa.Numeric(precision=10, scale=4), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('paid_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['account_no'], ['accounts.account_no'], name=op.f('fk_bills_account_no_accounts')),
    sa.ForeignKeyConstraint(['tariff_code'], ['tariffs.code'], name=op.f('fk_bills_tariff_code_tariffs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bills')),
    sa.UniqueConstraint('account_no', 'period', name=op.f('uq_bills_account_no'))
    )
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bills_account_no'), ['account_no'], unique=False)

    op.create_table('meters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meter_no', sa.String(length=24), nullable=False),
    sa.Column('account_no', sa.String(length=13), nullable=False),
    sa.Column('phase', sa.String(length=6), nullable=False),
    sa.Column('prepaid', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('state_since', sa.DateTime(), nullable=False),
    sa.Column('installed_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['account_no'], ['accounts.account_no'], name=op.f('fk_meters_account_no_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meters')),
    sa.UniqueConstraint('meter_no', name=op.f('uq_meters_meter_no'))
    )
    with op.batch_alter_table('meters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meters_account_no'), ['account_no'], unique=False)

    op.create_table('outage_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_no', sa.String(length=13), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('target', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_no'], ['accounts.account_no'], name=op.f('fk_outage_subscriptions_account_no_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outage_subscriptions')),
    sa.UniqueConstraint('account_no', 'channel', 'target', name=op.f('uq_outage_subscriptions_account_no'))
    )
    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_no', sa.String(length=32), nullable=False),
    sa.Column('account_no', sa.String(length=13), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('paid_at', sa.DateTime(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('credited', sa.Boolean(), nullable=False),
    sa.Column('credited_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_no'], ['accounts.account_no'], name=op.f('fk_payments_account_no_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_payments_idempotency_key')),
    sa.UniqueConstraint('payment_no', name=op.f('uq_payments_payment_no'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_account_no'), ['account_no'], unique=False)

    op.create_table('prepaid_balances',
    sa.Column('account_no', sa.String(length=13), nullable=False),
    sa.Column('balance', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('alerts_sent', sa.String(length=40), nullable=False),
    sa.Column('cutoff_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_no'], ['accounts.account_no'], name=op.f('fk_prepaid_balances_account_no_accounts')),
    sa.PrimaryKeyConstraint('account_no', name=op.f('pk_prepaid_balances'))
    )
    op.create_table('prepaid_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_no', sa.String(length=13), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('balance_after', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('level', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('deadline', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_no'], ['accounts.account_no'], name=op.f('fk_prepaid_events_account_no_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prepaid_events'))
    )
    with op.batch_alter_table('prepaid_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prepaid_events_account_no'), ['account_no'], unique=False)

    op.create_table('work_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_no', sa.String(length=16), nullable=False),
    sa.Column('type', sa.String(length=30), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('account_no', sa.String(length=13), nullable=True),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_no'], ['accounts.account_no'], name=op.f('fk_work_orders_account_no_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_orders')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_work_orders_idempotency_key')),
    sa.UniqueConstraint('ticket_no', name=op.f('uq_work_orders_ticket_no'))
    )
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_orders_account_no'), ['account_no'], unique=False)

    op.create_table('bill_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.SmallInteger(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('label', sa.String(length=50), nullable=False),
    sa.Column('kwh', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('price', sa.Numeric(precision=10, scale=4), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['bill_id'], ['bills.id'], name=op.f('fk_bill_lines_bill_id_bills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bill_lines'))
    )
    with op.batch_alter_table('bill_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bill_lines_bill_id'), ['bill_id'], unique=False)

    op.create_table('complaint_orders',
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('first_contact_due', sa.DateTime(), nullable=False),
    sa.Column('answer_due', sa.DateTime(), nullable=False),
    sa.Column('handoff_offered', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_complaint_orders_work_order_id_work_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('work_order_id', name=op.f('pk_complaint_orders'))
    )
    op.create_table('daily_reads',
    sa.Column('meter_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kwh', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.ForeignKeyConstraint(['meter_id'], ['meters.id'], name=op.f('fk_daily_reads_meter_id_meters')),
    sa.PrimaryKeyConstraint('meter_id', 'day', name=op.f('pk_daily_reads'))
    )
    op.create_table('interval_readings',
    sa.Column('meter_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.DateTime(), nullable=False),
    sa.Column('minutes', sa.SmallInteger(), nullable=False),
    sa.Column('kwh', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.ForeignKeyConstraint(['meter_id'], ['meters.id'], name=op.f('fk_interval_readings_meter_id_meters')),
    sa.PrimaryKeyConstraint('meter_id', 'start', name=op.f('pk_interval_readings'))
    )
    op.create_table('late_fee_charges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('charged_on', sa.Date(), nullable=False),
    sa.Column('days_overdue', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['bill_id'], ['bills.id'], name=op.f('fk_late_fee_charges_bill_id_bills')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_late_fee_charges_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_late_fee_charges'))
    )
    with op.batch_alter_table('late_fee_charges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_late_fee_charges_bill_id'), ['bill_id'], unique=False)

    op.create_table('monthly_reads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meter_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('read_on', sa.Date(), nullable=False),
    sa.Column('register_kwh', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('kwh', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('kwh_critical_peak', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('kwh_peak', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('kwh_flat', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('kwh_valley', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('max_demand_kw', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('kvarh', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.ForeignKeyConstraint(['meter_id'], ['meters.id'], name=op.f('fk_monthly_reads_meter_id_meters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_reads')),
    sa.UniqueConstraint('meter_id', 'period', name=op.f('uq_monthly_reads_meter_id'))
    )
    with op.batch_alter_table('monthly_reads', schema=None) as batch_op:
        batch_op.create_index('ix_monthly_reads_period_meter_kwh', ['period', 'meter_id', 'kwh'], unique=False)

    op.create_table('payment_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=False),
    sa.Column('principal', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('late_fee', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['bill_id'], ['bills.id'], name=op.f('fk_payment_allocations_bill_id_bills')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_payment_allocations_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_allocations'))
    )
    with op.batch_alter_table('payment_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_allocations_bill_id'), ['bill_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_allocations_payment_id'), ['payment_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('payment_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_allocations_payment_id'))
        batch_op.drop_index(batch_op.f('ix_payment_allocations_bill_id'))

    op.drop_table('payment_allocations')
    with op.batch_alter_table('monthly_reads', schema=None) as batch_op:
        batch_op.drop_index('ix_monthly_reads_period_meter_kwh')

    op.drop_table('monthly_reads')
    with op.batch_alter_table('late_fee_charges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_late_fee_charges_bill_id'))

    op.drop_table('late_fee_charges')
    op.drop_table('interval_readings')
    op.drop_table('daily_reads')
    op.drop_table('complaint_orders')
    with op.batch_alter_table('bill_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bill_lines_bill_id'))

    op.drop_table('bill_lines')
    with op.batch_alter_table('work_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_orders_account_no'))

    op.drop_table('work_orders')
    with op.batch_alter_table('prepaid_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prepaid_events_account_no'))

    op.drop_table('prepaid_events')
    op.drop_table('prepaid_balances')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_account_no'))

    op.drop_table('payments')
    op.drop_table('outage_subscriptions')
    with op.batch_alter_table('meters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meters_account_no'))

    op.drop_table('meters')
    with op.batch_alter_table('bills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bills_account_no'))

    op.drop_table('bills')
    op.drop_table('outage_areas')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_service_point_id'))
        batch_op.drop_index(batch_op.f('ix_accounts_customer_id'))

    op.drop_table('accounts')
    op.drop_table('ticket_sequences')
    op.drop_table('tariffs')
    with op.batch_alter_table('service_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_points_transformer_area'))
        batch_op.drop_index(batch_op.f('ix_service_points_feeder'))
        batch_op.drop_index(batch_op.f('ix_service_points_address'))

    op.drop_table('service_points')
    with op.batch_alter_table('outages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outages_feeder'))

    op.drop_table('outages')
    with op.batch_alter_table('identity_checks', schema=None) as batch_op:
        batch_op.drop_index('ix_identity_checks_session')

    op.drop_table('identity_checks')
    op.drop_table('customers')
    op.drop_table('agents')

"""The rule catalogue: one module per rule, registered here by code."""

from __future__ import annotations

from worker_audit.checks.wa001_syntax_error import SyntaxErrorRule
from worker_audit.checks.wa002_config_error import ConfigErrorRule
from worker_audit.checks.wa003_unused_suppression import UnusedSuppressionRule
from worker_audit.checks.wa101_bulk_db_in_handler import BulkDbInHandler
from worker_audit.checks.wa102_thread_in_handler import ThreadInHandler
from worker_audit.checks.wa103_in_memory_work_queue import InMemoryWorkQueue
from worker_audit.checks.wa104_slow_loop_in_handler import SlowLoopInHandler
from worker_audit.checks.wa201_queue_not_consumed import QueueNotConsumed
from worker_audit.checks.wa202_queue_never_used import QueueNeverUsed
from worker_audit.checks.wa203_worker_queue_drift import WorkerQueueDrift
from worker_audit.checks.wa301_untracked_enqueue import UntrackedEnqueue
from worker_audit.checks.wa302_enqueue_without_202 import EnqueueWithout202
from worker_audit.checks.wa303_job_without_chunks import JobWithoutChunks
from worker_audit.checks.wa304_job_without_heartbeat import JobWithoutHeartbeat
from worker_audit.checks.wa305_job_without_cancel import JobWithoutCancel
from worker_audit.checks.wa306_job_without_lifecycle_logs import JobWithoutLifecycleLogs
from worker_audit.checks.wa307_enqueue_without_timeout import EnqueueWithoutTimeout
from worker_audit.checks.wa308_parallel_worker import ParallelWorker
from worker_audit.rule import Rule
from worker_audit.rule_selection import SelectorError, selected_codes, validate_selectors

__all__ = ["RULES", "SelectorError", "selected_codes", "validate_selectors"]

RULES: dict[str, type[Rule]] = {
    rule.code: rule
    for rule in (
        SyntaxErrorRule,
        ConfigErrorRule,
        UnusedSuppressionRule,
        BulkDbInHandler,
        ThreadInHandler,
        InMemoryWorkQueue,
        SlowLoopInHandler,
        QueueNotConsumed,
        QueueNeverUsed,
        WorkerQueueDrift,
        UntrackedEnqueue,
        EnqueueWithout202,
        JobWithoutChunks,
        JobWithoutHeartbeat,
        JobWithoutCancel,
        JobWithoutLifecycleLogs,
        EnqueueWithoutTimeout,
        ParallelWorker,
    )
}

"""Request wording: per focus a title, an ask, a reason, an incident story and a refactor framing;
per claim kind the acceptance criterion it supports; and the five styles' frames.

What a request says the code must do comes from claims (the criteria); the story around it — an
incident, a review, a capacity plan — is imagined, and is written so that it stays true of any
code the focus applies to.
"""

from __future__ import annotations

from ..render import Row

__all__ = [
    "TITLES", "ASKS", "WHY", "SYMPTOMS", "REFACTORS", "CRITERIA", "STYLES", "FRAMES", "STYLE_WORDS",
]

STYLES = ("github-issue", "infra-requirement", "internal-request", "incident-follow-up", "refactor")


def _r(kind: str, *variants: str, when: str = "", unless: str = "", needs: str = "") -> Row:
    return Row(kind, tuple(variants), frozenset(when.split()), frozenset(unless.split()),
               tuple(needs.split()))


TITLES: dict[str, tuple[str | tuple[str, str], ...]] = {
    "cadence": (
        ("{fn}: decide the wait between passes from the last pass", "adaptive"),
        "Pacing for {fn}",
        ("{fn} should not idle while work is waiting", "adaptive"),
        "{fn}: how long to wait between passes",
    ),
    "shutdown": (
        ("{fn} holds up shutdown while it sleeps", "shutdown_wait shutdown_branch"),
        "Graceful shutdown for {fn}",
        "Make {fn} stop promptly on shutdown",
    ),
    "failure": (
        "{fn} must survive a failed pass",
        "Error handling in {fn}",
        "A single error should not stop {fn}",
    ),
    "concurrency": (
        "Task layout of {fn}",
        "{fn}: keep slow work off the main loop",
        "Run {fn} concurrently with the rest of the server",
    ),
    "retry": (
        "Backoff for {fn}",
        ("{fn}: retry with growing waits instead of a fixed one", "backoff schedule"),
        "Retry schedule for {fn}",
    ),
    "batching": (
        "Bounded batches for {fn}",
        "{fn}: work in fixed-size batches",
    ),
    "timeouts": (
        "Bound every wait in {fn}",
        "{fn} can hang on an unresponsive dependency",
    ),
    "startup": (
        "Startup behaviour of {fn}",
        "{fn}: fail fast at startup, never mid-run",
    ),
    "observability": (
        "Logging in {fn}",
        "Make {fn} observable without noise",
    ),
    "sql-batch": (
        "{fn}: one bounded batch per call",
        "Batch query for {fn}",
    ),
    "statement-timeout": (
        "{fn}: run without the statement timeout",
        "Statement timeout for background statements ({fn})",
    ),
    "probe": (
        "Cheap existence check in {fn}",
        "{fn}: decide up front whether there is work",
    ),
    "retry-math": (
        "Retry delay computed by {fn}",
        "{fn}: spread retries and respect overloaded endpoints",
    ),
    "schedule-walk": (
        "{fn}: walk the delay schedule and keep going on errors",
        "Scheduled retries in {fn}",
    ),
    "gate": (
        "{fn}: make the legacy step optional",
        "Switch for part of {fn}",
    ),
    "helper-errors": (
        "{fn}: clearer errors",
        "Error handling in {fn}",
    ),
    "role": (
        "Document where {fn} runs",
        "{fn}: pin down its callers and task",
    ),
    "pair": (
        "{fn} and {fn2}: one pattern, two helpers",
        "Twin helpers {fn} / {fn2}",
    ),
    "module": (
        "Background job in {file}",
        "Put the whole of {file} together",
    ),
}

ASKS: dict[str, tuple[str | tuple[str, str], ...]] = {
    "cadence": (
        "{fn} in {file} should choose its own pace between passes.",
        "Please rework how {fn} ({file}) waits between passes.",
        "We need {fn} in {file} to run on a sensible schedule.",
    ),
    "shutdown": (
        "{fn} in {file} has to stop promptly when the server shuts down, even in the middle of a wait.",
        "Make {fn} ({file}) shutdown-aware, including while it sleeps.",
    ),
    "failure": (
        "{fn} in {file} has to keep running when a pass fails.",
        "Harden the error handling of {fn} in {file}.",
    ),
    "concurrency": (
        "Please set up the task structure of {fn} in {file}.",
        "{fn} ({file}) needs a clear concurrency story.",
    ),
    "retry": (
        "Give {fn} in {file} a proper retry and backoff policy.",
        ("{fn} ({file}) should retry with waits that grow.", "backoff schedule"),
        "{fn} ({file}) should wait before it retries a failed step.",
    ),
    "batching": (
        "{fn} in {file} should process its backlog in bounded batches.",
        "Make {fn} ({file}) batch its work.",
    ),
    "timeouts": (
        "{fn} in {file} must never wait forever on a dependency.",
        "Put deadlines on the waits in {fn} ({file}).",
    ),
    "startup": (
        "Sort out what {fn} in {file} does before its loop starts.",
        "{fn} ({file}) should do its one-off checks up front.",
    ),
    "observability": (
        "Tidy up the logging of {fn} in {file}.",
        "{fn} ({file}) needs logs we can act on.",
    ),
    "sql-batch": (
        "Write {fn} in {file} so that each call handles at most one batch.",
        "{fn} ({file}) should be the single bounded unit of work of the job.",
    ),
    "statement-timeout": (
        "Add {fn} to {file}: run one statement with the statement timeout lifted.",
        "We need {fn} in {file} to execute a statement without our default statement timeout.",
    ),
    "probe": (
        "Add {fn} to {file} so the task can tell cheaply whether there is anything to do.",
        "{fn} in {file} should answer one question: is there any work at all?",
    ),
    "retry-math": (
        "Rework {fn} in {file}, which computes the next retry delay.",
        "{fn} ({file}) decides when a failed delivery is retried; it needs to be smarter.",
    ),
    "schedule-walk": (
        "{fn} in {file} should walk its delay schedule and survive errors along the way.",
        "Implement {fn} ({file}) as a schedule-driven loop.",
    ),
    "gate": (
        "{fn} in {file} should do part of its work only when the caller asks for it.",
        "Put one of the statements in {fn} ({file}) behind a flag.",
    ),
    "helper-errors": (
        "Make the failures of {fn} in {file} explicit and easy to read in the task's logs.",
        "{fn} ({file}) should report errors clearly to the task that calls it.",
    ),
    "role": (
        "Before we touch {fn} in {file}, capture where it runs and who calls it.",
        "Write down the calling context of {fn} ({file}) next to its code.",
    ),
    "pair": (
        "Add {fn} and {fn2} to {file}, built the same way.",
        "{fn} and {fn2} in {file} should share one structure.",
    ),
    "module": (
        "Write {file} as one background job: the task loop and its helpers.",
        "Implement {file} end to end.",
    ),
}

WHY: dict[str, tuple[str | tuple[str, str], ...]] = {
    "cadence": ("Right now the timing is the weak spot of this job.", "Came up while reviewing the background workers."),
    "shutdown": ("Deploys should not wait on background jobs.", "Rolling restarts are slower than they need to be."),
    "failure": ("Background jobs must not die on transient errors.", "We keep finding this in on-call reviews."),
    "concurrency": ("It should be obvious from the code what runs where.", "Reviewers keep asking which task this runs on."),
    "retry": ("Failures should back off, not hammer the dependency.", "Retries are part of the contract of this job."),
    "batching": ("Large backlogs must not turn into unbounded work.", "Capacity review flagged unbounded work here."),
    "timeouts": ("An unresponsive dependency must not stall startup or the loop.", "Found while testing with a blackholed host."),
    "startup": ("Misconfiguration should show up at startup, not hours later.", "Startup checks are cheaper than mid-run failures."),
    "observability": ("On-call needs to see what the job is doing.", "The current logs are either silent or noisy."),
    "sql-batch": ("Several servers run this job at once.", "Big statements on hot tables hurt us before."),
    "statement-timeout": ("Background statements can legitimately run long.", "The API's statement timeout is wrong for this job."),
    "probe": ("Most of the time there is nothing to do.", "Skipping needless work keeps the database quiet."),
    "retry-math": ("Endpoints that are struggling need room to recover.", "Retries should not arrive in waves."),
    "schedule-walk": ("The schedule has to keep going even when a step fails.", "This runs for hours in the background."),
    "gate": ("Most installations no longer need that step.", "We want to retire the old path gradually."),
    "helper-errors": ("Errors from this helper end up in the task's logs.", "Vague errors cost us time on call."),
    "role": ("Several people have asked how this is wired.", "The next refactor depends on it."),
    "pair": ("Two copies that drift apart are worse than one pattern.", "Both are on the background path."),
    "module": ("It is easier to review as one piece.", "The pieces only make sense together."),
}

SYMPTOMS: dict[str, tuple[str | tuple[str, str], ...]] = {
    "cadence": (
        "the job's timing was off: it ran either far too often or not often enough",
        ("a fixed timer meant a large backlog drained far too slowly", "adaptive"),
    ),
    "shutdown": (
        ("a rolling deploy hung because this task was asleep and only noticed shutdown after its nap",
         "shutdown_wait shutdown_branch"),
        ("pods were killed during shutdown while the task was still waiting out its timer",
         "shutdown_wait shutdown_branch"),
        ("the task kept starting new passes after shutdown had begun", "shutdown_loop"),
    ),
    "failure": (
        "a short outage of a dependency killed the task and nobody noticed until the backlog alerted",
        "one failed pass took the whole background job down until the next restart",
    ),
    "concurrency": (
        "slow work blocked everything else that shared its task",
        "we misread which task this ran on while debugging a stall",
    ),
    "retry": (
        "a failing dependency was retried in a tight loop and the logs filled up in minutes",
        "retries kept hitting a failing dependency at full speed during an outage",
    ),
    "batching": (
        ("one giant statement locked the table for minutes", "sql"),
        "after a long pause the job tried to do everything in one go",
    ),
    "timeouts": (
        "startup hung forever against a dependency that never answered",
        "the task stalled on a connection that never answered",
    ),
    "startup": (
        "a bad setup was only discovered hours after the deploy",
        "the task failed deep into a run for something it could have checked at startup",
    ),
    "observability": (
        "during the incident we could not tell whether the job was running at all",
        "the logs were flooded on quiet passes and silent when it mattered",
    ),
    "sql-batch": (
        "two servers running the job blocked each other on the same rows",
        "an unbounded statement ran for minutes and held locks the API needed",
    ),
    "statement-timeout": (
        "the cleanup statement kept getting cancelled by the default statement timeout",
        "a long background statement hit the API's statement timeout and failed every time",
    ),
    "probe": (
        "the job ran its expensive pass even when there was nothing to do",
        ("we paid for a full scan on every start just to find no work", "probe"),
    ),
    "retry-math": (
        "a struggling endpoint was hit by a wave of retries that all fired together",
        "retries landed on an overloaded endpoint much too early",
    ),
    "schedule-walk": (
        "one failed step ended the whole schedule",
        "a transient error stopped the schedule and left work half done",
    ),
    "gate": (
        "the legacy statement kept running on installations that no longer needed it",
        "we could not turn off the old step without a deploy",
    ),
    "helper-errors": (
        "the task logged an error nobody could trace back to this step",
        "a failure here surfaced as an unhelpful generic error",
    ),
    "role": (
        "a change was reviewed on a wrong assumption about where this ran",
        "we lost an afternoon finding out which task runs this",
    ),
    "pair": (
        "one of two near-identical helpers got a fix and the other did not",
        "the two helpers had drifted apart and behaved differently under load",
    ),
    "module": (
        "reviewing the pieces one by one missed how they fit",
        "the job was hard to follow across separate changes",
    ),
}

REFACTORS: dict[str, tuple[str | tuple[str, str], ...]] = {
    "cadence": ("move the pacing decision of {fn} next to the result of each pass",),
    "shutdown": ("thread the server's shutdown signal through {fn}, including its waits",),
    "failure": ("keep errors inside the loop of {fn} instead of returning them",),
    "concurrency": ("make the task boundaries around {fn} explicit",),
    "retry": ("replace ad-hoc retries in {fn} with one backoff policy",),
    "batching": ("make the batch size of {fn} a single constant that drives query and pacing",),
    "timeouts": ("put every wait in {fn} under an explicit deadline",),
    "startup": ("separate the one-off checks of {fn} from its loop",),
    "observability": ("give every log line in {fn} a clear trigger",),
    "sql-batch": ("make {fn} the one bounded unit of work of the job",),
    "statement-timeout": ("pull the no-timeout transaction into {fn}",),
    "probe": ("extract the existence check into {fn}",),
    "retry-math": ("keep all the retry-delay arithmetic in {fn}",),
    "schedule-walk": ("drive {fn} from its schedule of delays",),
    "gate": ("put the optional statement in {fn} behind a parameter",),
    "helper-errors": ("make {fn} convert and return its errors explicitly",),
    "role": ("document the calling context of {fn}",),
    "pair": ("give {fn} and {fn2} the same structure",),
    "module": ("restructure {file} around its task loop",),
}

# Acceptance criteria, one per claim, as a requirement (no trailing period).
# fmt: off
CRITERIA: tuple[Row, ...] = (
    _r("interval", "run a pass every {dur}, on a schedule a slow pass does not push back",
       "tick every {dur} with a tokio interval, starting immediately", when="tick-in-loop", unless="guarded"),
    _r("adaptive", "after a pass where {cond:cond}, wait {idle_dur} before the next one",
       "when {cond:cond} after a pass, nap for {idle_dur}", when="idle-when-true"),
    _r("adaptive", "after a full batch, start the next pass right away",
       "no sleep at all after a pass that came back full", when="idle-when-true"),
    _r("error_wait", "after a failed pass, wait {dur} before trying again",
       "back off {dur} after an error"),
    _r("sleep", "when {guard:cond}, wait {dur} and check again before taking more work",
       when="guarded then-continue", needs="dur"),
    _r("sleep", "sleep {dur} between rounds", when="in-loop",
       unless="guarded in-arm cancellable in-select from-var", needs="dur"),
    _r("sleep", "on an error, wait and move on to the next step instead of stopping",
       when="err-arm then-continue"),
    _r("err_arm", "a failed {call} is logged at {level} level and never ends the task",
       "log failures of {call} at {level} level and keep the loop running",
       when="keeps-looping logs no-question-in-loop"),
    _r("err_arm", "log a failed {call} at {level} level and continue with the next step",
       when="continues logs"),
    _r("shutdown_loop", "stop starting new passes once shutdown has begun",
       "check for shutdown before every pass"),
    _r("shutdown_wait", "wake from the wait as soon as shutdown is signalled",
       "a pending sleep must not delay shutdown"),
    _r("shutdown_branch", "leave the wait immediately when {future} completes",
       "race the wait against {future}"),
    _r("return", "return normally on shutdown, not as an error", when="tail after-loop ok-unit"),
    _r("batch", "handle at most {value} rows per pass ({const})",
       "use batches of {value} ({const})"),
    _r("sql", "never touch more than one batch of {tables} rows per statement",
       "cap each {verbs} with a LIMIT bound from {bind}", when="limit", needs="bind"),
    _r("sql", "skip rows another server has locked instead of waiting for them",
       when="skip-locked"),
    _r("gate", "make the {verbs} on {tables} switchable with {param}", needs="verbs tables"),
    _r("spawn", "process each element on its own task so one slow item does not hold up the rest",
       "spawn one task per item received", when="repeated"),
    _r("spawn", "report on a {interval_dur} interval from a separate task",
       when="loops interval", unless="repeated"),
    _r("spawn", "run the periodic work on its own task, {sleep_dur} apart",
       when="loops sleep", unless="repeated interval"),
    _r("spawn", "hand {runs} to its own task instead of awaiting it inline",
       when="detached", unless="repeated loops", needs="runs"),
    _r("runs_in", "keep it as one branch of the {mech} in {by}, next to {others}",
       when="join-branch", needs="others"),
    _r("join", "poll {calls} together on one task with {mech}", needs="calls"),
    _r("timeout", "give up on a single attempt after {dur}", when="in-loop", needs="dur"),
    _r("timeout", "bound the whole wait with {arg}", when="async-block"),
    _r("schedule", "retry on a schedule of {count:word} waits from {first} to {last}",
       "use the delays {values}"),
    _r("backoff", "back off from {initial}, multiplying by {factor} up to {cap}",
       when="after-error", needs="initial"),
    _r("jitter", "add ±{pct} random jitter to the delay", "randomise the delay by ±{pct}"),
    _r("at_least", "wait at least {dur} after {when:or}", needs="when"),
    _r("clamp", "keep {value_code} between {lo} and {hi}"),
    _r("statement_timeout", "disable the statement timeout for this transaction only ({stmt})",
       "scope the timeout change to the transaction with {local_kw}", when="disables local", needs="local_kw"),
    _r("transaction", "commit only after every step succeeded"),
    _r("probe", "use a cheap existence query on {table}", needs="table"),
    _r("propagate", "fail at startup if {calls} fails, but never from inside the loop",
       when="before-loop-only"),
    _r("propagate", "return the first error to the caller", unless="before-loop-only in-loop"),
    _r("conversion", "map failures to our error type with a clear message"),
    _r("log", "log {message:quote} at {level} level when {guard:cond}",
       when="guarded", unless="in-arm", needs="message"),
    _r("log", "log {message:quote} at {level} level, but only when {guard:cond}",
       when="guarded in-arm", needs="message"),
    _r("log", "log {message:quote} at {level} level once, before the loop", when="once", needs="message"),
    _r("timing", "include how long each pass took in the log", needs="field"),
)
# fmt: on

# Style frames. Fields: title, why, ask, crit (pre-formatted), symptom, refactor, and the
# style's own choices below.
FRAMES: dict[str, tuple[str, ...]] = {
    "github-issue": (
        "### {title}\n\n{why} {ask}\n\n**{label}**\n{checklist}",
        "### {title}\n\n{ask} {why}\n\n{label}:\n{checklist}",
    ),
    "infra-requirement": (
        "{head} {ask}\n\n{label}\n{numbered}",
        "{head}\n\n{ask} {why}\n\n{label}\n{numbered}",
    ),
    "internal-request": (
        "{hello} {ask} {lead} {inline}. {close}",
        "{hello} {why} {ask} {lead} {inline}. {close}",
    ),
    "incident-follow-up": (
        "{open} {symptom}. {ask}\n\n{label}\n{bullets}",
        "{open} {symptom}.\n\n{ask} {label}\n{bullets}",
    ),
    "refactor": (
        "{open} {refactor}. {ask}\n\n{keep}\n{bullets}",
        "{open} {refactor}.\n\n{keep}\n{bullets}",
    ),
}

STYLE_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "github-issue": {
        "label": ("Acceptance criteria", "Done when", "Definition of done", "Expected behaviour"),
    },
    "infra-requirement": {
        "head": (
            "Infra requirement (svix-server background jobs):",
            "Platform requirement for the worker deployment:",
            "Ops requirement ahead of the next capacity review:",
            "Requirement from the SRE review:",
        ),
        "label": ("Requirements:", "Must have:", "Scope:", "What we need:"),
    },
    "internal-request": {
        "hello": (
            "Hey, could you pick this up?",
            "Quick one for whoever is on the server team this week.",
            "Can you take this next sprint?",
            "Request from the platform side.",
            "Small ask from on-call.",
        ),
        "lead": ("Specifically:", "What I'm after:", "In short:", "Concretely:"),
        "close": (
            "Ping me if anything's unclear.",
            "Happy to review.",
            "No rush, but before the next release would be good.",
            "Thanks!",
        ),
    },
    "incident-follow-up": {
        "open": (
            "Incident follow-up:",
            "Action item from last week's postmortem:",
            "From the incident review:",
            "Postmortem follow-up:",
        ),
        "label": ("What we need:", "Fix:", "Expected behaviour:", "Follow-ups:"),
    },
    "refactor": {
        "open": ("Refactor ask:", "Cleanup request:", "Tech-debt item:", "Refactor:"),
        "keep": (
            "Behaviour to end up with:",
            "It should end up doing this:",
            "Target behaviour:",
            "Keep or establish:",
        ),
    },
}

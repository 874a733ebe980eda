using System;

namespace Koto.Live.Core
{
    public enum ReconnectPhase
    {
        Connected,
        /// <summary>Dropped; the next try is scheduled at <see cref="ReconnectPolicy.NextAttemptAtMs"/>.</summary>
        Waiting,
        /// <summary>A try is under way; report its outcome.</summary>
        Trying,
        /// <summary>Out of tries or past the server's reconnection window.</summary>
        GaveUp,
    }

    /// <summary>
    /// When to try reconnecting after a drop: exponential back-off with "equal jitter" (half the
    /// delay fixed, half random, so a classroom of clients that dropped together does not come back
    /// in step), capped, with a maximum number of tries and a deadline matching the server's
    /// reconnection window. It owns no timer: the caller asks <see cref="IsDue"/> with its own clock
    /// (Unity's <c>Time.realtimeSinceStartupAsDouble</c> × 1000 in a coroutine or Update), which is
    /// what keeps it working on WebGL, where <c>Task.Delay</c> continuations may never run.
    /// </summary>
    public sealed class ReconnectPolicy
    {
        private readonly Func<double> random;
        private double droppedAtMs;

        /// <param name="minDelayMs">First delay's cap.</param>
        /// <param name="maxDelayMs">No delay is longer.</param>
        /// <param name="maxAttempts">Tries before giving up.</param>
        /// <param name="windowMs">How long the server keeps a dropped seat (RECONNECT_WINDOW_SECONDS, 30 s by default).</param>
        /// <param name="random">Uniform in [0, 1); injected so tests are exact.</param>
        public ReconnectPolicy(double minDelayMs = 250, double maxDelayMs = 5000, int maxAttempts = 12, double windowMs = 30000, Func<double> random = null)
        {
            if (minDelayMs <= 0 || maxDelayMs < minDelayMs) throw new ArgumentOutOfRangeException("minDelayMs", "0 < minDelayMs <= maxDelayMs");
            if (maxAttempts < 1) throw new ArgumentOutOfRangeException("maxAttempts", "at least one try");
            MinDelayMs = minDelayMs;
            MaxDelayMs = maxDelayMs;
            MaxAttempts = maxAttempts;
            WindowMs = windowMs;
            if (random == null)
            {
                var generator = new Random();
                random = generator.NextDouble;
            }
            this.random = random;
            Phase = ReconnectPhase.Connected;
        }

        public double MinDelayMs { get; private set; }
        public double MaxDelayMs { get; private set; }
        public int MaxAttempts { get; private set; }
        public double WindowMs { get; private set; }

        public ReconnectPhase Phase { get; private set; }

        /// <summary>Tries started since the drop.</summary>
        public int Attempts { get; private set; }

        public double NextAttemptAtMs { get; private set; }

        /// <summary>The delay before try number <paramref name="attempt"/> (1-based): half of the capped exponential, plus up to that half again at random.</summary>
        public double DelayBefore(int attempt)
        {
            double exponential = MinDelayMs * Math.Pow(2, Math.Max(0, attempt - 1));
            double cap = Math.Min(MaxDelayMs, exponential);
            return cap / 2 + random() * cap / 2;
        }

        public void Dropped(double nowMs)
        {
            if (Phase == ReconnectPhase.Waiting || Phase == ReconnectPhase.Trying) return;
            droppedAtMs = nowMs;
            Attempts = 0;
            Schedule(nowMs);
        }

        /// <summary>True once when the next try should start; the phase becomes <see cref="ReconnectPhase.Trying"/>.</summary>
        public bool IsDue(double nowMs)
        {
            if (Phase != ReconnectPhase.Waiting) return false;
            if (nowMs - droppedAtMs >= WindowMs)
            {
                Phase = ReconnectPhase.GaveUp;
                return false;
            }
            if (nowMs < NextAttemptAtMs) return false;
            Attempts++;
            Phase = ReconnectPhase.Trying;
            return true;
        }

        /// <summary>The try failed. <paramref name="permanent"/> (seat gone, token refused) gives up at once.</summary>
        public void Failed(double nowMs, bool permanent = false)
        {
            if (Phase != ReconnectPhase.Trying) return;
            if (permanent || Attempts >= MaxAttempts || nowMs - droppedAtMs >= WindowMs)
            {
                Phase = ReconnectPhase.GaveUp;
                return;
            }
            Schedule(nowMs);
        }

        public void Succeeded()
        {
            Phase = ReconnectPhase.Connected;
            Attempts = 0;
        }

        private void Schedule(double nowMs)
        {
            NextAttemptAtMs = nowMs + DelayBefore(Attempts + 1);
            Phase = ReconnectPhase.Waiting;
        }
    }
}

#include "timeline.hpp"

#include <algorithm>
#include <cassert>
#include <string>

#include "diagnostics.hpp"
#include "error.hpp"

namespace ap {

static int first_every(const Trainer& t) {
    // A step costs about 3 forward passes over a batch; the dead-unit pass is one over the training set.
    const double batch = std::max(1, t.config().training.batch_size);
    const double want = 10.0 * static_cast<double>(t.data().train.size()) / (3.0 * batch);
    int k = kMinSnapshotEvery;
    while (k < want && k < (1 << 20)) k *= 2;
    return k;
}

Timeline::Timeline(Trainer& trainer, std::size_t budget_bytes)
    : budget_(budget_bytes), every_(first_every(trainer)), head_(trainer.step()) {
    std::size_t units = 0;
    for (std::size_t l = 0; l < trainer.network().hidden_layers(); ++l) units += trainer.network().layers()[l].out;
    dead_.assign(units, 0);
    if (budget_ > 0) snapshot(trainer, true);
}

std::int64_t Timeline::earliest() const { return checkpoints_.empty() ? head_ : checkpoints_.front().step; }

std::size_t Timeline::bytes() const {
    // Capacities, not sizes: the vectors' spare room is memory held too.
    return events_.capacity() * sizeof(UnitEvent) +
           (checkpoints_.capacity() - checkpoints_.size()) * sizeof(Checkpoint) + checkpoint_bytes_;
}

void Timeline::drop_last_checkpoint() {
    checkpoint_bytes_ -= checkpoints_.back().bytes();
    checkpoints_.pop_back();
}

// Drops everything after step s: snapshots, unit events, and the dead state goes back to that at s.
void Timeline::branch(std::int64_t s) {
    if (s >= head_) return;
    while (!checkpoints_.empty() && checkpoints_.back().step > s) drop_last_checkpoint();
    while (!events_.empty() && events_.back().step > s) {
        dead_[events_.back().unit] = events_.back().dead ? 0 : 1;
        events_.pop_back();
    }
    head_ = s;
}

// Thins until `incoming` more bytes fit: double K and keep the unpinned snapshots on its grid; when only
// pinned ones (and step 0's grid point) are left, drop the oldest snapshot; then the oldest unit events.
void Timeline::make_room(std::size_t incoming) {
    if (incoming > budget_) return;  // it will not be kept: nothing needs to go for it
    while (bytes() + incoming > budget_) {
        const std::int64_t k = 2 * static_cast<std::int64_t>(every_);
        auto off_grid = [k](const Checkpoint& c) { return !c.pinned && c.step % k != 0; };
        if (std::any_of(checkpoints_.begin(), checkpoints_.end(), off_grid)) {
            every_ *= 2;
            for (const Checkpoint& c : checkpoints_)
                if (off_grid(c)) checkpoint_bytes_ -= c.bytes();
            std::erase_if(checkpoints_, off_grid);
        } else if (!checkpoints_.empty()) {
            checkpoint_bytes_ -= checkpoints_.front().bytes();
            checkpoints_.erase(checkpoints_.begin());
        } else if (!events_.empty()) {
            events_.erase(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>((events_.size() + 1) / 2));
            events_.shrink_to_fit();
        } else {
            return;
        }
    }
}

void Timeline::record_units(Trainer& trainer) {
    const std::vector<std::uint8_t> now = dead_units(trainer);
    for (std::size_t u = 0; u < now.size(); ++u) {
        if (now[u] == dead_[u]) continue;
        dead_[u] = now[u];
        if (events_.size() == events_.capacity()) {
            const std::size_t grown = std::max<std::size_t>(16, 2 * events_.size());
            make_room((grown - events_.size()) * sizeof(UnitEvent));
            if (bytes() + (grown - events_.size()) * sizeof(UnitEvent) > budget_) continue;  // no room: unmarked
            events_.reserve(grown);
        }
        events_.push_back({trainer.step(), static_cast<std::uint32_t>(u), now[u] != 0});
    }
}

void Timeline::snapshot(Trainer& trainer, bool pinned) {
    record_units(trainer);
    Checkpoint c = capture(trainer);
    c.pinned = pinned;
    if (!checkpoints_.empty() && checkpoints_.back().step == c.step) {
        c.pinned = c.pinned || checkpoints_.back().pinned;
        drop_last_checkpoint();
    }
    make_room(c.bytes());
    // Making room may have doubled K: a periodic snapshot off the new grid is not kept either.
    const bool on_grid = c.pinned || c.step % every_ == 0;
    if (on_grid && c.bytes() <= budget_) {
        checkpoint_bytes_ += c.bytes();
        checkpoints_.push_back(std::move(c));
    }
}

int Timeline::train(Trainer& trainer, int n) {
    branch(trainer.step());
    if (budget_ == 0) {
        const int done = trainer.train_steps(n);
        head_ = trainer.step();
        return done;
    }
    int done = 0;
    while (done < n && !trainer.diverged()) {
        const std::int64_t step = trainer.step();
        const std::int64_t next = (step / every_ + 1) * every_;
        const int chunk = static_cast<int>(std::min<std::int64_t>(n - done, next - step));
        const int got = trainer.train_steps(chunk);
        done += got;
        head_ = trainer.step();
        if (trainer.step() == next) snapshot(trainer, false);
        if (got < chunk) break;
    }
    return done;
}

void Timeline::changed(Trainer& trainer) {
    branch(trainer.step());
    if (budget_ > 0) snapshot(trainer, true);
    head_ = trainer.step();
}

std::int64_t Timeline::seek(Trainer& trainer, std::int64_t s) {
    const std::int64_t lo = earliest();
    if (s < lo || s > head_)
        throw ConfigError("step must be " + std::to_string(lo) + ".." + std::to_string(head_) + ", got " +
                          std::to_string(s));
    if (s == trainer.step()) return s;
    auto it = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), s,
                               [](std::int64_t x, const Checkpoint& c) { return x < c.step; });
    // earliest() is the first snapshot's step, or the current one when none is kept (a network too big for
    // the budget), which returned above.
    assert(it != checkpoints_.begin());
    const Checkpoint& c = *std::prev(it);
    restore(trainer, c);
    std::int64_t left = s - c.step;
    while (left > 0) {
        const int chunk = static_cast<int>(std::min<std::int64_t>(left, kMaxStepsPerCall));
        const int got = trainer.train_steps(chunk);
        left -= got;
        if (got < chunk) break;
    }
    return trainer.step();
}

}  // namespace ap

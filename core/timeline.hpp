#pragma once
// Time travel: a run keeps snapshots of its state (checkpoint.hpp) every K steps, within a fixed memory
// budget, so any earlier step can be shown exactly: restore the nearest snapshot at or before it and train
// forward, which the core's determinism makes bit for bit the run that went there. A live change (a rate,
// a weight) takes a snapshot at its step that is never thinned, so no change ever lies between a snapshot
// and a step recomputed from it. Training or changing anything at an earlier step starts a new branch: the
// later history is dropped.
//
// Memory stays bounded over any run length: when the next snapshot would pass the budget, K doubles and
// the snapshots off the new grid go (every other one). Snapshots pinned by changes, if they alone pass the
// budget, go oldest first (the earliest reachable step moves later).
//
// The time line also marks when each hidden unit died (outputs 0 on every training point) or came back,
// checked at every snapshot: the events, not the states, so a long run costs memory only when units change.
//
// A budget of 0 keeps no history at all (a race's runs, which show only their latest step): training is
// then the trainer's alone, without snapshots or the dead-unit pass, and only the current step can be shown.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "checkpoint.hpp"
#include "limits.hpp"
#include "trainer.hpp"

namespace ap {

struct UnitEvent {
    std::int64_t step = 0;
    std::uint32_t unit = 0;  // index over all hidden units, layer by layer
    bool dead = false;       // true: died at this step; false: came back
};

class Timeline {
public:
    // Snapshots the trainer's current state (step 0, or an imported model's step) as the earliest one (none
    // with a budget of 0).
    // The first K is a power of two >= kMinSnapshotEvery large enough that the dead-unit pass at each
    // snapshot (a forward pass over the training set) costs about a tenth of the training between them.
    explicit Timeline(Trainer& trainer, std::size_t budget_bytes = kSnapshotBudgetBytes);

    // Trains up to n steps (as Trainer::train_steps), snapshotting at every multiple of K on the way.
    // If the trainer is behind the head (it was sought back), this is a new branch: the later history goes.
    int train(Trainer& trainer, int n);
    // After a live change of the trainer at its current step: a pinned snapshot there (a branch if behind).
    void changed(Trainer& trainer);
    // Shows step s: restores the nearest snapshot <= s and trains forward to s. Keeps the later history
    // (seeking forward again is fine) until the next train() or changed(). Throws ConfigError for a step
    // outside earliest()..head(). Returns the step reached.
    std::int64_t seek(Trainer& trainer, std::int64_t s);

    std::int64_t head() const { return head_; }  // the furthest step this branch reached
    std::int64_t earliest() const;               // the first step seek() can show
    int every() const { return every_; }         // K
    std::size_t budget() const { return budget_; }
    std::size_t bytes() const;  // memory held: snapshots and unit events
    const std::vector<Checkpoint>& checkpoints() const { return checkpoints_; }  // by step
    const std::vector<UnitEvent>& unit_events() const { return events_; }        // by step
    std::size_t units() const { return dead_.size(); }

private:
    void branch(std::int64_t s);
    void snapshot(Trainer& trainer, bool pinned);
    void make_room(std::size_t incoming);
    void record_units(Trainer& trainer);
    void drop_last_checkpoint();

    std::size_t budget_;
    int every_;
    std::int64_t head_ = 0;
    std::vector<Checkpoint> checkpoints_;
    // The sum of checkpoints_' bytes(), kept as they come and go: summing them at each snapshot made a long
    // run's steps slower and slower (a W1 run of 3M steps spent 9% of its time there, in wasm).
    std::size_t checkpoint_bytes_ = 0;
    std::vector<UnitEvent> events_;
    std::vector<std::uint8_t> dead_;  // (hidden units) as of the last snapshot of this branch
};

}  // namespace ap

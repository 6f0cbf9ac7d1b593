import Foundation

/// Streams input lines through decoding into the log, using every core a small machine has.
///
/// One thread reads lines into batches of raw bytes; `decoders` threads decode batches
/// (bytes in, ``DecodedBatch`` out: pure, so they need no coordination); the calling
/// thread appends decoded batches to the store strictly in input order. Few batches wait
/// between the stages, so memory stays flat whatever the size of the input.
struct IngestPipeline {
    var limits: EventDecoder.Limits
    var batchLines: Int
    /// A batch also closes at this many bytes, so wide lines do not widen memory.
    var batchBytes = 1 << 20
    var ingestTime: Timestamp
    var decoders: Int
    /// What each decoded event is reduced to for the writer.
    var preparation: EventPreparation

    /// Runs `source` through decoding; `consume` pulls the decoded batches in input order
    /// and may stop pulling early (strict mode), which stops the other threads.
    func run<Result>(
        _ source: some LineSource & Sendable, consume: (inout DecodedBatches) throws(UnifyError) -> Result
    ) throws(UnifyError) -> Result {
        // Decoded batches queue deeper than raw ones: they absorb the writer's pauses while
        // SQLite commits and checkpoints, so decoding never waits on them.
        let state = PipelineState(waitingRaw: decoders + 1, waitingDecoded: 6, threads: decoders + 1)
        var threads = [Thread { [batchLines, batchBytes] in
            IngestPipeline.nameThisThread("unify-read")
            IngestPipeline.read(source, batchLines: batchLines, batchBytes: batchBytes, into: state)
            state.threadEnded()
        }]
        for _ in 0..<decoders {
            threads.append(Thread { [limits, ingestTime, preparation] in
                IngestPipeline.nameThisThread("unify-decode")
                IngestPipeline.decode(from: state, limits: limits, ingestTime: ingestTime, preparation: preparation)
                state.threadEnded()
            })
        }
        for thread in threads {
            // Parsing recurses once per nesting level, and depth is capped by the limits.
            thread.stackSize = 4 << 20
            thread.start()
        }
        defer {
            // Nothing may go on reading the caller's input after this returns.
            state.stop()
            state.waitForThreads()
        }
        var batches = DecodedBatches(state: state)
        return try consume(&batches)
    }

    /// Names the calling thread, so profilers and `top -H` tell the stages apart.
    private static func nameThisThread(_ name: String) {
        Thread.current.name = name
    }

    private static func read(_ source: some LineSource, batchLines: Int, batchBytes: Int, into state: PipelineState) {
        var batch = RawBatch(sequence: 0)
        var consumed = 0
        var failure: UnifyError?
        do throws(UnifyError) {
            while let line = try source.nextLine() {
                if line.bytes.isBlank && line.length == line.bytes.count {
                    batch.blankLineNumbers.append(line.number)
                } else {
                    batch.append(line)
                }
                // Blank lines count towards a batch's lines: their numbers are kept, and a file of
                // nothing but newlines must not make one unbounded batch.
                if batch.lines.count + batch.blankLineNumbers.count >= batchLines || batch.bytes.count >= batchBytes {
                    batch.bytesRead = source.bytesConsumed - consumed
                    consumed = source.bytesConsumed
                    guard state.put(batch) else { return }
                    batch = RawBatch(sequence: batch.sequence + 1)
                }
            }
        } catch {
            failure = error
        }
        // The lines read before the end, or before a failure, go ahead of it.
        batch.bytesRead = source.bytesConsumed - consumed
        if !batch.lines.isEmpty || !batch.blankLineNumbers.isEmpty {
            guard state.put(batch) else { return }
            batch = RawBatch(sequence: batch.sequence + 1)
        }
        state.finishReading(batches: batch.sequence, failure: failure)
    }

    private static func decode(from state: PipelineState, limits: EventDecoder.Limits, ingestTime: Timestamp,
                               preparation: EventPreparation) {
        var decoder = EventDecoder(limits: limits)
        var spent: [DecodedBatch] = []
        while let raw = state.nextRaw(takingSpent: &spent) {
            // Freed here rather than on the writer, which the whole ingest waits for: a batch
            // is thousands of small objects, most of them allocated on this thread.
            spent.removeAll()
            var decoded = DecodedBatch()
            decoded.blankLineNumbers = raw.blankLineNumbers
            decoded.bytesRead = raw.bytesRead
            decoded.entries.reserveCapacity(raw.lines.count)
            raw.bytes.withUnsafeBufferPointer { bytes in
                for (range, number, length, recordedTime) in raw.lines {
                    let line = UnsafeBufferPointer(rebasing: bytes[range])
                    do throws(LineFault) {
                        let event = try decoder.decode(line, length: length, ingestTime: recordedTime ?? ingestTime)
                        decoded.entries.append(.init(outcome: .event(preparation.prepare(event)), lineNumber: number,
                                                     range: range))
                    } catch {
                        decoded.entries.append(.init(outcome: .rejected(error), lineNumber: number, range: range))
                    }
                }
            }
            decoded.bytes = raw.bytes
            guard state.put(decoded, sequence: raw.sequence) else { return }
        }
    }
}

/// The decoded batches of one ingest, in input order.
struct DecodedBatches {
    fileprivate let state: PipelineState

    /// The next batch, or `nil` at the end of input; throws when reading the input failed.
    mutating func next() throws(UnifyError) -> DecodedBatch? {
        try state.nextDecoded()?.get()
    }

    /// Hands back a batch the caller is done with, so that a decoding thread frees it while
    /// any is still running.
    func discard(_ batch: consuming DecodedBatch) {
        state.discard(consume batch)
    }
}

/// Lines as read, before decoding: their bytes side by side and where each one is.
private struct RawBatch: Sendable {
    var sequence: Int
    var bytes: [UInt8] = []
    var lines: [(range: Range<Int>, number: Int, length: Int, recordedTime: Timestamp?)] = []
    var blankLineNumbers: [Int] = []
    var bytesRead = 0

    init(sequence: Int) {
        self.sequence = sequence
    }

    mutating func append(_ line: InputLine) {
        let start = bytes.count
        bytes.append(contentsOf: line.bytes)
        lines.append((start..<bytes.count, line.number, line.length, line.recordedTime))
    }
}

/// What the pipeline's threads share: the raw batches waiting for a decoder, the decoded
/// batches waiting for the writer (which takes them in sequence), and how things ended.
private final class PipelineState: @unchecked Sendable {
    private let condition = NSCondition()
    private let waitingRaw: Int
    private let waitingDecoded: Int
    private var raw: [RawBatch] = []
    private var decoded: [Int: Result<DecodedBatch, UnifyError>] = [:]
    /// Batches the writer is done with, for a decoding thread to free.
    private var spent: [DecodedBatch] = []
    private var nextToWrite = 0
    private var totalBatches: Int?
    private var readFailure: UnifyError?
    private var stopped = false
    private var runningThreads: Int

    init(waitingRaw: Int, waitingDecoded: Int, threads: Int) {
        self.waitingRaw = waitingRaw
        self.waitingDecoded = waitingDecoded
        runningThreads = threads
    }

    func threadEnded() {
        locked {
            runningThreads -= 1
            condition.broadcast()
        }
    }

    /// Waits until every thread of the pipeline has returned.
    func waitForThreads() {
        locked {
            while runningThreads > 0 { condition.wait() }
        }
    }

    private func locked<Value>(_ body: () -> Value) -> Value {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    /// Hands a raw batch to the decoders, waiting for room; `false` once stopped.
    func put(_ batch: RawBatch) -> Bool {
        locked {
            while raw.count >= waitingRaw && !stopped { condition.wait() }
            guard !stopped else { return false }
            raw.append(batch)
            condition.broadcast()
            return true
        }
    }

    func finishReading(batches: Int, failure: UnifyError?) {
        locked {
            totalBatches = batches
            readFailure = failure
            condition.broadcast()
        }
    }

    /// The next raw batch to decode, or `nil` when reading is over and all are taken; hands
    /// over, in `spent` (which must be empty), the batches the writer is done with.
    func nextRaw(takingSpent spent: inout [DecodedBatch]) -> RawBatch? {
        precondition(spent.isEmpty, "the batches handed over before are still held")
        return locked {
            while raw.isEmpty && totalBatches == nil && !stopped { condition.wait() }
            swap(&spent, &self.spent)
            guard !stopped, !raw.isEmpty else { return nil }
            let batch = raw.removeFirst()
            condition.broadcast()
            return batch
        }
    }

    /// Hands a decoded batch to the writer. A batch far ahead of the writer waits for room,
    /// but the one the writer needs next is always let in, so decoders never deadlock.
    func put(_ batch: DecodedBatch, sequence: Int) -> Bool {
        locked {
            while decoded.count >= waitingDecoded && sequence != nextToWrite && !stopped { condition.wait() }
            guard !stopped else { return false }
            decoded[sequence] = .success(batch)
            condition.broadcast()
            return true
        }
    }

    /// The next decoded batch in input order, a read failure, or `nil` at the end.
    func nextDecoded() -> Result<DecodedBatch, UnifyError>? {
        locked {
            while decoded[nextToWrite] == nil && !stopped {
                if let totalBatches, nextToWrite >= totalBatches { break }
                condition.wait()
            }
            if let batch = decoded.removeValue(forKey: nextToWrite) {
                nextToWrite += 1
                condition.broadcast()
                return batch
            }
            if let failure = readFailure {
                readFailure = nil
                return .failure(failure)
            }
            return nil
        }
    }

    func discard(_ batch: consuming DecodedBatch) {
        condition.lock()
        defer { condition.unlock() }
        // Once no thread is left to take them, they would only pile up: freed here then.
        guard runningThreads > 0 else { return }
        // Moved, not copied: the last reference must be the one a decoding thread drops.
        spent.append(consume batch)
    }

    /// Tells every thread to stop at its next hand-off.
    func stop() {
        locked {
            stopped = true
            raw.removeAll()
            decoded.removeAll()
            condition.broadcast()
        }
    }
}

import Foundation

/// Reads and decodes lines on a background thread while the caller appends the previous
/// batch to the log, so the two cores a small machine has both work.
///
/// Decoding is pure (bytes in, ``DecodedBatch`` out); appending is the store's. At most
/// `depth` decoded batches wait between the two, which keeps memory flat whatever the
/// size of the input.
struct IngestPipeline {
    var limits: EventDecoder.Limits
    var batchLines: Int
    var ingestTime: Timestamp

    /// Streams `source` through decoding into `append`, one batch at a time. `append`
    /// returns `false` to stop early (strict mode).
    func run(_ source: some LineSource & Sendable, append: (DecodedBatch) throws(UnifyError) -> Bool)
        throws(UnifyError)
    {
        let queue = BatchQueue(depth: 2)
        let producer = Thread { [limits, batchLines, ingestTime] in
            var decoder = EventDecoder(limits: limits)
            var batch = DecodedBatch()
            var consumed = 0
            do throws(UnifyError) {
                while let (line, number) = try source.nextLine() {
                    if line.isBlank {
                        batch.blankLines += 1
                    } else {
                        do throws(LineFault) {
                            let event = try decoder.decode(line, ingestTime: ingestTime)
                            batch.append(.event(event), lineNumber: number, line: line)
                        } catch {
                            batch.append(.rejected(error), lineNumber: number, line: line)
                        }
                    }
                    if batch.entries.count >= batchLines {
                        batch.bytesRead = source.bytesConsumed - consumed
                        consumed = source.bytesConsumed
                        guard queue.put(.success(batch)) else { return }
                        batch = DecodedBatch()
                    }
                }
                batch.bytesRead = source.bytesConsumed - consumed
                if !batch.entries.isEmpty || batch.blankLines > 0 { _ = queue.put(.success(batch)) }
                queue.finish()
            } catch {
                _ = queue.put(.failure(error))
                queue.finish()
            }
        }
        producer.stackSize = 8 << 20
        producer.start()
        defer { queue.cancel() }
        while let next = queue.take() {
            guard try append(next.get()) else { return }
        }
    }
}

/// A bounded hand-off of decoded batches from the decoding thread to the appending one.
private final class BatchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Result<DecodedBatch, UnifyError>] = []
    private var finished = false
    private var cancelled = false
    private let depth: Int

    init(depth: Int) { self.depth = depth }

    /// Waits for room, then enqueues; `false` when the consumer has gone.
    func put(_ item: Result<DecodedBatch, UnifyError>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= depth && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Tells the producer to stop; it notices at its next `put`.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, or `nil` once the producer has finished and all is taken.
    func take() -> Result<DecodedBatch, UnifyError>? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished { condition.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }
}

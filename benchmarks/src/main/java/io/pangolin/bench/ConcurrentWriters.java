package io.pangolin.bench;

import io.pangolin.bench.catalogs.CatalogAdapter;
import io.pangolin.bench.catalogs.CatalogHandle;
import io.pangolin.bench.count.CommitAttempts;
import io.pangolin.bench.count.Counts;
import io.pangolin.bench.report.Samples;
import io.pangolin.bench.report.WriterRound;
import io.pangolin.testing.TestTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;

/**
 * Several writers appending to one table at once, each through its own catalog instance as separate engines
 * would. Counts what was acknowledged, the retries it took (from Iceberg's own commit reports), and afterwards
 * checks the table: every acknowledged file must be in the current snapshot chain exactly once.
 */
final class ConcurrentWriters {

  /**
   * Retries allowed per commit. Iceberg's default of 4 lets a commit fail outright under this much contention;
   * with more, what is measured is how long commits take to get through rather than how many give up. The
   * back-off stays at Iceberg's default (100 ms, doubling), the same for both catalogs.
   */
  static final String RETRIES = "20";

  private ConcurrentWriters() {}

  static WriterRound run(CatalogAdapter adapter, TableIdentifier id, int writers, int commitsPerWriter) {
    String fullName = adapter.catalogName() + "." + id;
    List<CatalogHandle> handles = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    try {
      for (int w = 0; w < writers; w++) {
        handles.add(adapter.open(Map.of()));
      }
      handles.get(0).tables().createTable(id, TestTables.SCHEMA, PartitionSpec.unpartitioned(),
          Map.of(TableProperties.COMMIT_NUM_RETRIES, RETRIES));
      List<Table> tables = handles.stream().map(h -> h.tables().loadTable(id)).toList();

      Samples latencies = new Samples();
      Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
      Queue<String> failed = new ConcurrentLinkedQueue<>();
      Queue<String> unknown = new ConcurrentLinkedQueue<>();
      CountDownLatch go = new CountDownLatch(1);
      long attemptsBefore = CommitAttempts.attempts(fullName);
      Counts before = adapter.counts();

      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        Table table = tables.get(w);
        String writer = "w" + w;
        running.add(threads.submit(() -> {
          go.await();
          for (int k = 0; k < commitsPerWriter; k++) {
            DataFile file = Tables.fakeDataFile(table, writer + "-" + k);
            long start = System.nanoTime();
            try {
              table.newFastAppend().appendFile(file).commit();
              latencies.addLatency((System.nanoTime() - start) / 1e6);
              acknowledged.add(file.location());
            } catch (CommitStateUnknownException e) {
              unknown.add(file.location());
            } catch (CommitFailedException e) {
              failed.add(file.location());
            }
          }
          return null;
        }));
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> f : running) {
        f.get();
      }
      double wallMs = (System.nanoTime() - start) / 1e6;
      Counts cost = adapter.counts().minus(before);
      long attempts = CommitAttempts.attempts(fullName) - attemptsBefore;
      latencies.addCost(cost, acknowledged.size());

      Map<String, Integer> additions = TestTables.additionsInChain(handles.get(0).tables().loadTable(id));
      int lost = (int) acknowledged.stream().filter(p -> !additions.containsKey(p)).count();
      int duplicated = (int) additions.values().stream().filter(n -> n > 1).count();
      int failedButPresent = (int) failed.stream().filter(additions::containsKey).count();
      return new WriterRound(adapter.label(), writers, acknowledged.size(), failed.size(), unknown.size(),
          attempts, wallMs, latencies, lost, duplicated, failedButPresent);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(adapter.label() + " writer failed: " + e.getCause(), e.getCause());
    } finally {
      threads.shutdownNow();
      handles.forEach(CatalogHandle::close);
    }
  }
}

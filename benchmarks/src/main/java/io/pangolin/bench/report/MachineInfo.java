package io.pangolin.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/** The machine a run happened on, as the report states it. */
public record MachineInfo(int nproc, String cpu, String memory, String java, String os, String date) {

  public static MachineInfo detect() {
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        procLine("/proc/cpuinfo", "model name").orElse("unknown CPU"),
        procLine("/proc/meminfo", "MemTotal").map(MachineInfo::gib).orElse("unknown"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
            + " (" + System.getProperty("java.vendor") + ")",
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
  }

  private static Optional<String> procLine(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      return lines.stream().filter(l -> l.startsWith(key)).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String gib(String memTotal) {
    try {
      long kib = Long.parseLong(memTotal.replace("kB", "").trim());
      return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
    } catch (NumberFormatException e) {
      return memTotal;
    }
  }
}

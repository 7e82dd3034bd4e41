package io.pangolin.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.serve.http.ServeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line maps to validated settings; a bad or missing value is refused naming the option and the fix. */
class ServeCommandTest {

  @TempDir
  Path directory;

  @Test
  void optionsBecomeSettingsAndThePasswordFileComesFromTheEnvironment() throws Exception {
    Path password = Files.writeString(directory.resolve("password"), "db-pass-4411\n");
    ServeCommand command = parse(Map.of(ServeCommand.PASSWORD_FILE_ENV, password.toString()),
        "--port", "9000", "--admin-port", "9001", "--max-threads", "32", "--max-concurrent-requests", "16",
        "--max-request-body-bytes", "1024", "--stop-timeout-seconds", "5", "--trusted-proxy", "127.0.0.2");

    ServeSettings settings = command.settings();
    assertThat(settings.port()).isEqualTo(9000);
    assertThat(settings.adminPort()).isEqualTo(9001);
    assertThat(settings.bindHost()).isEqualTo("127.0.0.1");
    assertThat(settings.maxThreads()).isEqualTo(32);
    assertThat(settings.maxRequestBodyBytes()).isEqualTo(1024);
    assertThat(settings.stopTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.trustedProxies()).containsExactly("127.0.0.2");
    assertThat(settings.tls()).isEmpty();

    DatabaseSettings database = command.database();
    assertThat(database.password()).isEqualTo("db-pass-4411");
    assertThat(database.toString()).doesNotContain("db-pass-4411");
  }

  @Test
  void refusalsNameTheOptionAndTheFix() {
    assertThatThrownBy(() -> parse(Map.of()).database())
        .hasMessageContaining("--password-file").hasMessageContaining(ServeCommand.PASSWORD_FILE_ENV);
    assertThatThrownBy(() -> parse(Map.of(), "--host", "0.0.0.0").settings())
        .hasMessageContaining("--host 0.0.0.0").hasMessageContaining("--tls-keystore");
    assertThatThrownBy(() -> parse(Map.of(), "--tls-keystore", directory.resolve("none.p12").toString()).settings())
        .hasMessageContaining("--tls-keystore-password-file");
    assertThatThrownBy(() -> parse(Map.of(), "--port", "8181", "--admin-port", "8181").settings())
        .hasMessageContaining("different ports");
    assertThatThrownBy(() -> parse(Map.of(), "--trusted-proxy", "proxy.example.com").settings())
        .hasMessageContaining("--trusted-proxy proxy.example.com is not an IP address");
    assertThatThrownBy(() -> new ServeSettings("127.0.0.1", 0, 0, Optional.empty(), 8, 10, 8, 1, 1024,
        Duration.ofSeconds(1), Duration.ofSeconds(1), java.util.Set.of()))
        .hasMessageContaining("--max-concurrent-requests (8) must be below --max-threads (8)");
  }

  @Test
  void aMissingMasterKeyFileIsNamedBeforeAnythingStarts() throws Exception {
    Path password = Files.writeString(directory.resolve("password"), "db-pass");
    ServeCommand command = parse(Map.of(), "--password-file", password.toString(), "--port", "0", "--admin-port", "0");
    assertThatThrownBy(command::call).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(directory.resolve("master.key").toString())
        .hasMessageContaining("pangolin key generate")
        .hasMessageNotContaining("db-pass");
  }

  private ServeCommand parse(Map<String, String> environment, String... options) {
    ServeCommand command = new ServeCommand(environment);
    String[] required = {"--jdbc-url", "jdbc:postgresql://127.0.0.1/pangolin", "--login", "pangolin_endpoint",
        "--master-key-file", directory.resolve("master.key").toString()};
    String[] all = new String[required.length + options.length];
    System.arraycopy(required, 0, all, 0, required.length);
    System.arraycopy(options, 0, all, required.length, options.length);
    new CommandLine(command).parseArgs(all);
    return command;
  }
}

package io.natsboot.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure the library keeps: the data path reads from the package names,
 * the dependencies between them run one way (core at the bottom, the auto-configuration
 * on top), and no feature reaches into another feature's internals. A new import that
 * breaks one of these rules fails the build here, naming the classes.
 */
class ArchitectureTests {

	private static final String[] KEY_STORE_BACKENDS = { "io.natsboot.keystore.nats..", "io.natsboot.keystore.redis..",
			"io.natsboot.keystore.memory.." };

	private static JavaClasses classes;

	@BeforeAll
	static void importLibrary() {
		// the library's own classes: not its tests, not the test support
		// (io.natsboot.test) on the class path
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.withImportOption((location) -> !location.contains("/io/natsboot/test/"))
			.importPackages("io.natsboot");
	}

	@Test
	void packagesAreFreeOfCycles() {
		slices().matching("io.natsboot.(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void dependenciesRunFromTheAutoConfigurationDownToCore() {
		layers().check(classes);
	}

	@Test
	void onlyTheKeyStoreAndItsConfigurationKnowTheBackends() {
		noClasses().that()
			.resideOutsideOfPackages("io.natsboot.keystore..", "io.natsboot.autoconfigure..", "io.natsboot.actuate..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(KEY_STORE_BACKENDS)
			.because("a backend is chosen by configuration; everything else speaks KeyStoreOperations")
			.check(classes);
	}

	@Test
	void theKeyStoreDependsOnNoBackend() {
		noClasses().that()
			.resideInAPackage("io.natsboot.keystore")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(KEY_STORE_BACKENDS)
			.because("KeyStoreTemplate works on the KeyValueBackend interface, whichever backend is configured")
			.check(classes);
	}

	@Test
	void keyStoreBackendsAreIndependentOfEachOther() {
		for (String backend : KEY_STORE_BACKENDS) {
			noClasses().that()
				.resideInAPackage(backend)
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage(others(backend))
				.check(classes);
		}
	}

	@Test
	void theTaskQueueUsesOnlyTheListenerAdapterOfTheListenerPath() {
		noClasses().that()
			.resideInAPackage("io.natsboot.task..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.natsboot.listener", "io.natsboot.config..", "io.natsboot.annotation..")
			.because(
					"a task handler is invoked by the shared handler-method adapter; its worker is a task worker, not a listener container")
			.check(classes);
	}

	/**
	 * The layers, bottom up. Each names what it may use; a layer above may use all below
	 * it that it lists.
	 * @return the rule
	 */
	static ArchRule layers() {
		return Architectures.layeredArchitecture()
			.consideringOnlyDependenciesInLayers()
			.layer("observation")
			.definedBy("io.natsboot.observation..")
			.layer("core")
			.definedBy("io.natsboot.core..")
			.layer("jetstream")
			.definedBy("io.natsboot.jetstream..")
			.layer("listener adapter")
			.definedBy("io.natsboot.listener.adapter..")
			.layer("listener containers")
			.definedBy("io.natsboot.listener")
			.layer("listener config")
			.definedBy("io.natsboot.config..")
			.layer("task")
			.definedBy("io.natsboot.task..")
			.layer("key store")
			.definedBy("io.natsboot.keystore..")
			.layer("annotations")
			.definedBy("io.natsboot.annotation..")
			.layer("actuate")
			.definedBy("io.natsboot.actuate..")
			.layer("instance registry")
			.definedBy("io.natsboot.instance..")
			.layer("console")
			.definedBy("io.natsboot.console..")
			.layer("auto-configuration")
			.definedBy("io.natsboot.autoconfigure..")
			.whereLayer("observation")
			.mayNotAccessAnyLayer()
			.whereLayer("core")
			.mayOnlyAccessLayers("observation")
			.whereLayer("jetstream")
			.mayOnlyAccessLayers("observation", "core")
			.whereLayer("listener adapter")
			.mayOnlyAccessLayers("observation", "core", "jetstream")
			.whereLayer("listener containers")
			.mayOnlyAccessLayers("observation", "core", "jetstream", "listener adapter")
			.whereLayer("listener config")
			.mayOnlyAccessLayers("observation", "core", "jetstream", "listener adapter", "listener containers")
			.whereLayer("task")
			.mayOnlyAccessLayers("observation", "core", "jetstream", "listener adapter")
			.whereLayer("key store")
			.mayOnlyAccessLayers("observation", "core", "jetstream")
			.whereLayer("annotations")
			.mayOnlyAccessLayers("observation", "core", "jetstream", "listener adapter", "listener containers",
					"listener config", "task")
			.whereLayer("actuate")
			.mayOnlyAccessLayers("observation", "core", "jetstream", "listener containers", "listener config", "task",
					"key store")
			.whereLayer("instance registry")
			.mayOnlyAccessLayers("observation", "core", "jetstream")
			.whereLayer("console")
			.mayOnlyAccessLayers("observation", "core", "jetstream", "listener containers", "listener config", "task",
					"key store", "instance registry")
			.whereLayer("auto-configuration")
			.mayNotBeAccessedByAnyLayer();
	}

	private static String[] others(String backend) {
		return java.util.Arrays.stream(KEY_STORE_BACKENDS)
			.filter((other) -> !other.equals(backend))
			.toArray(String[]::new);
	}

}

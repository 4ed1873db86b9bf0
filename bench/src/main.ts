console.log("benchmark: not yet written");

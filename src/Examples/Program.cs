// Entry point of the Examples app (commands are added as the library grows).
return 0;

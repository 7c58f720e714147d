int shop_core_dummy(void); int shop_core_dummy(void){return 1;}

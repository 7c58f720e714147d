int shop_app_dummy(void); int shop_app_dummy(void){return 1;}
